use leptos::prelude::*;

use crate::domain::{Plan, PLUS_OR_PRO};

/// What a screen or section that needs Plus or Pro shows on Standard.
#[component]
pub fn PlanGate(feature: &'static str, plan: Plan) -> impl IntoView {
    view! {
        <p class="plan-gate">{format!("{feature} are {PLUS_OR_PRO}. This account is on {}.", plan.label())}</p>
        <p class="muted">"The Account Owner can change the plan in "<a href="/settings/company">"Company settings"</a>"."</p>
    }
}
