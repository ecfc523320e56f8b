//! Every migration can be rolled back and applied again.

use koppel_migrations::{Migrator, MigratorTrait};

use crate::helpers::spawn_app;

#[tokio::test]
async fn migrations_roll_back_and_apply_again() {
    let app = spawn_app().await;
    let applied = Migrator::get_applied_migrations(&app.db)
        .await
        .unwrap()
        .len();
    assert_eq!(applied, Migrator::migrations().len());

    Migrator::down(&app.db, None).await.unwrap();
    assert!(
        Migrator::get_applied_migrations(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&app.db)
            .await
            .unwrap()
            .len(),
        applied
    );
}
