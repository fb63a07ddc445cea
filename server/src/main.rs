//! The Roster server binary: serves the app, and runs the operator's commands.

use clap::{Parser, Subcommand};

use server::{config::Config, serve, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Roster: manage a help desk's users, invitations and profiles.",
    after_help = "Configuration comes from the environment: DATABASE_URL, SMTP_URL, PUBLIC_URL and \
                  LEPTOS_SITE_ADDR (see the README), and the site settings in Leptos.toml."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve Roster (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Create a demo account with N users in mixed states (needs only DATABASE_URL).
    SeedDemo {
        /// How many users besides the Owner.
        #[arg(long, default_value_t = 100)]
        users: usize,
        /// How many conversations, spread over the inboxes and active users.
        #[arg(long, default_value_t = 0)]
        conversations: usize,
        /// The demo Owner's password (and every active demo user's).
        #[arg(long, default_value = "compass lantern orchard violet")]
        owner_password: String,
    },
    /// Bring back a deleted user (needs only DATABASE_URL). They return
    /// without a password, sessions, keys or apps.
    RestoreUser {
        /// The deleted user's email address (the most recently deleted, if several).
        #[arg(long, conflicts_with = "id", required_unless_present = "id")]
        email: Option<String>,
        /// The deleted user's id.
        #[arg(long)]
        id: Option<uuid::Uuid>,
    },
}

async fn restore_user(email: Option<String>, id: Option<uuid::Uuid>) -> anyhow::Result<()> {
    let pool = serve::connect(&server::config::database_url()?).await?;
    serve::migrate(&pool).await?;
    let whom = match (email, id) {
        (Some(email), _) => server::restore_user::Whom::Email(email),
        (None, Some(id)) => server::restore_user::Whom::Id(id),
        (None, None) => anyhow::bail!("name the user with --email or --id"),
    };
    let restored = server::restore_user::run(&pool, whom).await?;
    println!(
        "Restored {} <{}>. They have no password: send them an invite email or a password reset from Manage > Users.",
        restored.name, restored.email
    );
    Ok(())
}

async fn seed_demo(users: usize, conversations: usize, owner_password: &str) -> anyhow::Result<()> {
    let pool = serve::connect(&server::config::database_url()?).await?;
    serve::migrate(&pool).await?;
    let seeded = server::seed_demo::run(&pool, users, conversations, owner_password).await?;
    println!(
        "Created {} with {} users and {} conversations. Sign in as {} with the Owner password.",
        seeded.account_name, seeded.users, seeded.conversations, seeded.owner_email
    );
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match Config::from_env() {
            Ok(config) => serve::run(config).await,
            Err(error) => Err(error),
        },
        Command::Migrate => serve::migrate_only().await,
        Command::SeedDemo {
            users,
            conversations,
            owner_password,
        } => seed_demo(users, conversations, &owner_password).await,
        Command::RestoreUser { email, id } => restore_user(email, id).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
