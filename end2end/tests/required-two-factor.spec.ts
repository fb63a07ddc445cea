import { Page } from '@playwright/test';
import {
  test,
  expect,
  expectNoSeriousViolations,
  hydrated,
  linkIn,
  open,
  owner,
  totp,
  uniqueEmail,
  waitForEmail,
} from './fixtures';

const inviteSubject = `${owner.name} invited you to ${owner.company} on Roster`;
const password = 'juniper harbour quartz meadow';
const missing = 'Two-factor authentication required, not set up';
// Contexts made in a test start from the project's signed-in state unless told otherwise.
const signedOut = { cookies: [], origins: [] };

/** Checks or clears the User box of Company settings' Security part, and saves. */
async function requireForUsers(page: Page, withJs: boolean, required: boolean) {
  await open(page, '/settings/company', withJs);
  const box = page
    .getByRole('group', { name: 'Require two-factor authentication' })
    .getByRole('checkbox', { name: 'User', exact: true });
  await box.setChecked(required);
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await expect(page.getByRole('status')).toContainText('Company settings saved.');
  await expect(page.getByText(required ? 'Now required for Users.' : 'Now nobody must.')).toBeVisible();
}

test('a role required to use two-factor sets it up before anything else opens', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const withJs = hydrated(testInfo);
  await requireForUsers(page, withJs, true);
  if (withJs) await expectNoSeriousViolations(page);

  // A new User joins through their invite.
  const email = uniqueEmail('margaret', testInfo.project.name);
  const started = new Date();
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill('Margaret Hamilton');
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByLabel('Role').selectOption({ label: 'User' });
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText('Margaret Hamilton was added.');
  const invite = await waitForEmail(email, inviteSubject, started);

  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const user = await context.newPage();
  await open(user, linkIn(invite.text, `${baseURL}/invite/`), withJs);
  await user.getByLabel('Password', { exact: true }).fill(password);
  await user.getByRole('button', { name: 'Accept invitation' }).click();

  // Right after joining: the set-up, and nothing else to go to.
  await expect(user.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  await expect(user.getByText('Your company requires two-factor authentication for Users.')).toBeVisible();
  await expect(user.getByRole('link', { name: 'Inboxes' })).toHaveCount(0);
  if (withJs) await expectNoSeriousViolations(user);
  await open(user, '/profile/profile', withJs);
  await expect(user).toHaveURL(/\/two-factor\/set-up$/);
  await expect(user.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();

  // The Owner sees who has not set it up.
  const row = page.getByRole('row').filter({ hasText: email });
  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  await expect(row).toContainText(missing);

  const secret = (await user.locator('.secret-key').textContent()) ?? '';
  await user.getByLabel('Authentication code').fill(totp(secret));
  await user.getByLabel('Current password').fill(password);
  await user.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(user.getByRole('status')).toContainText('Two-factor authentication is on');
  await expect(user.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);
  // Their role requires it: there is no turning it off.
  await expect(user.getByText('so it stays on')).toBeVisible();
  await expect(user.getByRole('button', { name: 'Turn off two-factor authentication' })).toHaveCount(0);
  await open(user, '/profile/profile', withJs);
  await expect(user).toHaveURL(/\/profile\/profile$/);
  await context.close();

  await open(page, `/manage/users?q=${encodeURIComponent(email)}`, withJs);
  await expect(row).toContainText('Active');
  await expect(row).not.toContainText(missing);
  await requireForUsers(page, withJs, false);
});
