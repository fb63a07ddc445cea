import { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test, expect, hydrated, open, owner, sql, uniqueEmail } from './fixtures';

async function billedUsers(page: Page): Promise<number> {
  const line = await page.getByText(/users? counts? toward monthly billing/).textContent();
  return Number(line!.match(/([\d,]+) users? counts?/)![1].replace(/,/g, ''));
}

async function addUser(page: Page, name: string, email: string) {
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText(`${name} was added.`);
}

test('Delete user from the row menu asks why and for a confirmation, then the row and its bill are gone', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('dennis', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await addUser(page, 'Dennis Ritchie', email);
  await open(page, '/manage/users', withJs);
  const before = await billedUsers(page);

  const row = page.getByRole('row').filter({ hasText: email });
  await row.getByRole('button', { name: 'Actions for Dennis Ritchie' }).click();
  await page.getByRole('menuitem', { name: 'Delete user' }).click();
  await expect(page.getByRole('heading', { name: 'Delete Dennis Ritchie', level: 1 })).toBeVisible();
  await expect(page.getByText('Dennis Ritchie has no conversations assigned.')).toBeVisible();

  // Nothing chosen: errors next to the fields, nobody deleted.
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByRole('group', { name: 'Why are you deleting this user?' })).toHaveAccessibleDescription(/Choose why/);
  await page.getByRole('radio', { name: 'Other' }).check();
  await page.getByLabel('Other reason').fill('Contract ended');
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByRole('checkbox', { name: 'Yes, delete Dennis Ritchie' })).toHaveAccessibleDescription(/Tick the box/);

  // The acting admin's password, checked by the server.
  if (!withJs) {
    await page.getByRole('radio', { name: 'Other' }).check();
    await page.getByLabel('Other reason').fill('Contract ended');
  }
  await page.getByRole('checkbox', { name: 'Yes, delete Dennis Ritchie' }).check();
  await page.getByLabel('Your password').fill('not the right password');
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByLabel('Your password')).toHaveAccessibleDescription(/That password is not right/);

  if (!withJs) {
    await page.getByRole('radio', { name: 'Other' }).check();
    await page.getByLabel('Other reason').fill('Contract ended');
    await page.getByRole('checkbox', { name: 'Yes, delete Dennis Ritchie' }).check();
  }
  await page.getByLabel('Your password').fill(owner.password);
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page).toHaveURL(/\/manage\/users\?done=deleted/);
  await expect(page.getByRole('status')).toContainText('Dennis Ritchie was deleted.');
  await expect(page.getByRole('row').filter({ hasText: email })).toHaveCount(0);
  expect(await billedUsers(page)).toBe(before - 1);
});

test('the profile offers Delete user at the bottom, never for the Owner', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('ken', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await addUser(page, 'Ken Thompson', email);
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Ken Thompson' }).click();
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await nav.getByRole('link', { name: 'Delete user' }).click();
  await expect(page.getByRole('heading', { name: 'Delete Ken Thompson', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Ken Thompson', level: 1 })).toBeVisible();

  await open(page, '/profile/profile', withJs);
  await expect(page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link', { name: 'Delete user' })).toHaveCount(0);
});

test("once the job has run, the deleted user's conversations are Unassigned and their workflow says why", async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const project = testInfo.project.name;
  const email = uniqueEmail('grace.b', project);
  const tag = email.split('@')[0];
  await open(page, '/manage/users', withJs);
  await addUser(page, 'Grace Brewster', email);
  // Conversations and workflows have no editor yet: arranged in the database.
  sql(project, `INSERT INTO conversations (account_id, inbox_id, subject, customer_email, status, assignee_id)
    SELECT u.account_id, i.id, 'Printer on fire ' || '${tag}', 'customer@example.com', 'active', u.id
    FROM users u JOIN inboxes i ON i.account_id = u.account_id AND i.name = 'Support' WHERE u.email = '${email}'`);
  sql(project, `INSERT INTO workflows (account_id, name, actions)
    SELECT account_id, 'Route to Grace ' || '${tag}', jsonb_build_array(jsonb_build_object('type', 'assign', 'user_id', id::text))
    FROM users WHERE email = '${email}'`);

  await open(page, '/inboxes', withJs);
  await page.getByRole('link', { name: 'Support' }).click();
  const conversation = page.getByRole('row').filter({ hasText: `Printer on fire ${tag}` });
  await expect(conversation.getByRole('cell', { name: 'Grace Brewster' })).toBeVisible();

  await open(page, '/manage/users', withJs);
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Grace Brewster' }).click();
  await page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link', { name: 'Delete user' }).click();
  await expect(page.getByText('The conversation assigned to them becomes Unassigned')).toBeVisible();
  await expect(page.getByText(`These workflows become inactive, because they act on Grace Brewster: Route to Grace ${tag}.`)).toBeVisible();
  await page.getByRole('radio', { name: 'They left the company' }).check();
  await page.getByRole('checkbox', { name: 'Yes, delete Grace Brewster' }).check();
  await page.getByLabel('Your password').fill(owner.password);
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByRole('status')).toContainText('Grace Brewster was deleted.');

  await open(page, '/inboxes', withJs);
  await page.getByRole('link', { name: 'Support' }).click();
  await expect(async () => {
    await page.reload();
    await expect(conversation.getByRole('cell', { name: 'Unassigned' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  await open(page, '/workflows', withJs);
  const workflow = page.getByRole('row').filter({ hasText: `Route to Grace ${tag}` });
  await expect(workflow).toContainText('Inactive');
  await expect(workflow).toContainText('This workflow references a user that has been deleted');
});

/** Runs `server restore-user` against this project's database, as the operator would. */
function restoreUser(project: string, email: string): string {
  const database = project.startsWith('hydrated') ? 'roster_e2e_hydrated' : 'roster_e2e_nojs';
  const root = path.resolve(__dirname, '..', '..');
  return execFileSync(`${root}/target/debug/server`, ['restore-user', '--email', email], {
    env: { ...process.env, DATABASE_URL: `${process.env.ROSTER_E2E_DATABASE_URL}/${database}`, RUST_LOG: 'warn' },
  }).toString();
}

test('reassign to a teammate; the operator restores the user; a new user with the old email is a new row', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  const project = testInfo.project.name;
  const email = uniqueEmail('hedy', project);
  const tag = email.split('@')[0];
  await open(page, '/manage/users', withJs);
  await addUser(page, 'Hedy Lamarr', email);
  await addUser(page, 'Anita Borg', uniqueEmail('anita', project));
  sql(project, `INSERT INTO conversations (account_id, inbox_id, subject, customer_email, status, assignee_id)
    SELECT u.account_id, i.id, 'Frequency hopping ' || '${tag}', 'customer@example.com', 'active', u.id
    FROM users u JOIN inboxes i ON i.account_id = u.account_id AND i.name = 'Sales' WHERE u.email = '${email}'`);

  await open(page, '/manage/users', withJs);
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Hedy Lamarr' }).click();
  await page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link', { name: 'Delete user' }).click();
  await page.getByRole('radio', { name: "It's a duplicate account" }).check();
  await page.getByLabel('Give their open conversations to').selectOption({ label: 'Anita Borg' });
  await page.getByRole('checkbox', { name: 'Yes, delete Hedy Lamarr' }).check();
  await page.getByLabel('Your password').fill(owner.password);
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByRole('status')).toContainText('Hedy Lamarr was deleted.');

  await open(page, '/inboxes', withJs);
  await page.getByRole('link', { name: 'Sales' }).click();
  const conversation = page.getByRole('row').filter({ hasText: `Frequency hopping ${tag}` });
  await expect(async () => {
    await page.reload();
    await expect(conversation.getByRole('cell', { name: 'Anita Borg' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // Admins have no restore; the operator's command brings the row back.
  expect(restoreUser(project, email)).toContain('Restored Hedy Lamarr');
  await open(page, '/manage/users', withJs);
  await expect(page.getByRole('row').filter({ hasText: email })).toHaveCount(1);

  // Deleted again, then a new user with the same name and email: a new row,
  // and the old one can't be restored over it.
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Hedy Lamarr' }).click();
  await page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link', { name: 'Delete user' }).click();
  await page.getByRole('radio', { name: 'They left the company' }).check();
  await page.getByRole('checkbox', { name: 'Yes, delete Hedy Lamarr' }).check();
  await page.getByLabel('Your password').fill(owner.password);
  await page.getByRole('button', { name: 'Delete User' }).click();
  await expect(page.getByRole('status')).toContainText('Hedy Lamarr was deleted.');
  await open(page, '/manage/users', withJs);
  await addUser(page, 'Hedy Lamarr', email);
  await open(page, '/manage/users', withJs);
  const rows = page.getByRole('row').filter({ hasText: email });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('Invite email not yet sent');
  expect(() => restoreUser(project, email)).toThrow(/already has the email address/);
});
