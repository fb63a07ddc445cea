//! Teams (Plus and Pro): groups of users, made on Manage > Teams and shown on
//! each member's profile. Light Users are never on a team.

mod error;
mod page;

pub use error::TeamsError;

pub use page::{
    add_team_member, create_team, get_teams, remove_team_member, AddTeamMember, CreateTeam,
    GetTeams, RemoveTeamMember, TeamsPage,
};

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::Plan;

/// Manage > Teams: every team of the account with its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamsOverview {
    pub plan: Plan,
    pub teams: Vec<TeamView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub id: Uuid,
    pub name: String,
    pub members: Vec<TeamMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}
