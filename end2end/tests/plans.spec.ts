import { test, expect, hydrated, open, owner, ownerEmail, sql, uniqueEmail } from './fixtures';

test('on Plus, teams, role permissions and a user’s Feature Permissions, Teams and Light User role can be set', async ({ page }, testInfo) => {
  // A dozen pages and a background job: past 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const withJs = hydrated(testInfo);
  const project = testInfo.project.name;

  // Standard: the gated pages say what unlocks them.
  await open(page, '/manage/teams', withJs);
  await expect(page.getByText('Teams are available on the Plus and Pro plans. This account is on Standard.')).toBeVisible();
  await expect(page.getByLabel('Team name')).toHaveCount(0);

  await open(page, '/settings/company', withJs);
  await page.getByRole('radio', { name: 'Plus' }).check();
  await page.getByRole('button', { name: 'Save plan' }).click();
  await expect(page.getByRole('status')).toHaveText('Company settings saved.');
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Plus' })).toBeChecked();

  try {
    await open(page, '/manage/teams', withJs);
    await page.getByLabel('Team name').fill('Tier 2');
    await page.getByRole('button', { name: 'Create team' }).click();
    await expect(page.getByRole('heading', { name: 'Tier 2' })).toBeVisible();
    await page.getByLabel('Email Address').fill(ownerEmail(project));
    await page.getByRole('button', { name: 'Add member' }).click();
    const team = page.getByRole('region', { name: 'Tier 2' });
    await expect(team.getByText(owner.name)).toBeVisible();

    await open(page, '/settings/permissions', withJs);
    const users = page.getByRole('group', { name: 'User permissions', exact: true });
    await users.getByRole('checkbox', { name: 'Delete conversations' }).check();
    await page.getByRole('button', { name: 'Save User permissions' }).click();
    await expect(page.getByRole('status')).toHaveText('Permissions saved.');
    await page.reload();
    await expect(page.getByRole('group', { name: 'User permissions', exact: true }).getByRole('checkbox', { name: 'Delete conversations' })).toBeChecked();

    // A new User follows the role's defaults until given custom permissions.
    const email = uniqueEmail('edsger', project);
    await open(page, '/manage/users', withJs);
    await page.getByRole('button', { name: 'Add User' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add User' });
    await dialog.getByLabel('Name', { exact: true }).fill('Edsger Dijkstra');
    await dialog.getByLabel('Email Address').fill(email);
    await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
    await dialog.getByRole('button', { name: 'Create User' }).click();
    await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Edsger Dijkstra' }).click();

    const nav = page.getByRole('navigation', { name: 'Profile sections' });
    await nav.getByRole('link', { name: 'Feature Permissions' }).click();
    await expect(page.getByRole('radio', { name: /^Default/ })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Delete conversations' })).toBeChecked();
    await page.getByRole('radio', { name: /^Custom/ }).check();
    await page.getByRole('checkbox', { name: 'Manage workflows' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Feature Permissions saved.');
    await page.reload();
    await expect(page.getByRole('radio', { name: /^Custom/ })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Manage workflows' })).toBeChecked();

    // Manage > Users lists whoever has a permission, as the profile explains it.
    const profile = page.url();
    await open(page, '/manage/users', withJs);
    await page.getByLabel('Search users').fill(email);
    await page.getByLabel('With permission').selectOption({ label: 'Manage workflows' });
    if (!withJs) await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/permission=manage_workflows/);
    await expect(page.getByRole('row').filter({ hasText: email })).toBeVisible();
    await open(page, profile, withJs);

    await nav.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('checkbox', { name: 'Tier 2' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Teams saved.');
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'Tier 2' })).toBeChecked();

    // Becoming a Light User says how many open conversations will be
    // unassigned, asks to confirm, and the job unassigns them.
    sql(project, `INSERT INTO conversations (account_id, inbox_id, subject, customer_email, status, assignee_id)
      SELECT u.account_id, (SELECT id FROM inboxes i WHERE i.account_id = u.account_id ORDER BY name LIMIT 1),
             s.subject, 'customer@example.com', s.status, u.id
      FROM users u, (VALUES ('Refund', 'active'), ('Invoice', 'pending'), ('Thanks', 'closed')) AS s (subject, status)
      WHERE u.email = '${email}'`);
    await nav.getByRole('link', { name: 'Role' }).click();
    await page.getByLabel('Role').selectOption({ label: 'Light User' });
    const confirm = page.getByRole('checkbox', { name: /their 2 open conversations will become Unassigned/ });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(confirm).toHaveAccessibleDescription(/Confirm that as a Light User they will be removed from their teams, and their 2 open conversations will become Unassigned\./);
    if (!withJs) await page.getByLabel('Role').selectOption({ label: 'Light User' });
    await confirm.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Role saved.');
    await nav.getByRole('link', { name: 'View in audit log' }).click();
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("Roster finished unassigning Edsger Dijkstra's open conversations (2), as they became a Light User")).toBeVisible({ timeout: 500 });
    }).toPass();
    // Standard has no Light Users: back to User before the plan goes back.
    await page.goBack();
    await nav.getByRole('link', { name: 'Role' }).click();
    await page.getByLabel('Role').selectOption({ label: 'User' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toHaveText('Role saved.');
  } finally {
    await open(page, '/settings/company', withJs);
    await page.getByRole('radio', { name: 'Standard' }).check();
    await page.getByRole('button', { name: 'Save plan' }).click();
    await expect(page.getByRole('status')).toHaveText('Company settings saved.');
    await page.reload();
    await expect(page.getByRole('radio', { name: 'Standard' })).toBeChecked();
  }
});
