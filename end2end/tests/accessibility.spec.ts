import { test, expect, expectNoSeriousViolations, hydrated, open, uniqueEmail } from './fixtures';

/*
 * Automated accessibility checks: axe-core audits each page against WCAG 2.0
 * and 2.1, levels A and AA, and a test fails on any violation axe rates
 * serious or critical (its message lists each rule, what it asks for, and
 * the elements that break it). Signed in as the Owner: the users table, with
 * and without the Add User dialog open, teams, company settings and
 * permissions, the audit log (and its filter refused), every section of one's own profile and of an admin's view of
 * a user, with its Delete and Deactivate pages; signed out: sign-in, password recovery, a 404 and the
 * authorization page refusing an unknown app (the page that asks is audited
 * in credentials.spec.ts).
 *
 * axe runs inside the page, so it needs JavaScript: playwright.config.ts
 * runs this file in the hydrated project only. The server renders the same
 * markup for both.
 */

test('the users table', async ({ page }, testInfo) => {
  await open(page, '/manage/users', hydrated(testInfo));
  await expectNoSeriousViolations(page);
});

test('the users table with the Add User dialog open', async ({ page }, testInfo) => {
  await open(page, '/manage/users', hydrated(testInfo));
  await page.getByRole('button', { name: 'Add User' }).click();
  await expect(page.getByRole('dialog', { name: 'Add User' })).toBeVisible();
  await expectNoSeriousViolations(page);
});

for (const path of ['/settings/company', '/settings/permissions', '/settings/provisioning', '/manage/teams', '/manage/audit-log', '/manage/audit-log?from=yesterday']) {
  test(`manage: ${path}`, async ({ page }, testInfo) => {
    await open(page, path, hydrated(testInfo));
    await expectNoSeriousViolations(page);
  });
}

test("every section of an admin's view of a user", async ({ page }, testInfo) => {
  // A dozen pages, each audited by axe: more than one page's budget.
  test.setTimeout(90_000);
  const email = uniqueEmail('alan', testInfo.project.name);
  await open(page, '/manage/users', hydrated(testInfo));
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill('Alan Turing');
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Alan Turing' }).click();
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  // The sections are the links in the navigation's lists; Delete user below them is audited last.
  for (const link of await nav.getByRole('list').getByRole('link').allTextContents()) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('aria-current', 'page');
    await expectNoSeriousViolations(page);
  }
  await nav.getByRole('link', { name: 'Delete user' }).click();
  await expect(page.getByRole('heading', { name: 'Delete Alan Turing' })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole('link', { name: 'Cancel' }).click();
  await nav.getByRole('link', { name: 'Deactivate user' }).click();
  await expect(page.getByRole('heading', { name: 'Deactivate Alan Turing' })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test('the users table showing deactivated users', async ({ page }, testInfo) => {
  await open(page, '/manage/users?deactivated=show', hydrated(testInfo));
  await expect(page.getByRole('checkbox', { name: 'Show deactivated users' })).toBeChecked();
  await expectNoSeriousViolations(page);
});

const ownProfileSections = [
  'profile',
  'security',
  'api-keys',
  'authorized-apps',
  'active-sessions',
  'notifications',
  'auto-bcc',
  'my-apps',
];
for (const section of ownProfileSections) {
  test(`own profile: ${section}`, async ({ page }, testInfo) => {
    await open(page, `/profile/${section}`, hydrated(testInfo));
    await expectNoSeriousViolations(page);
  });
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const path of ['/sign-in', '/recover', '/no-such-page', '/authentication/authorizeClientApplication?client_id=app_unknown']) {
    test(`signed out: ${path}`, async ({ page }, testInfo) => {
      await open(page, path, hydrated(testInfo));
      await expectNoSeriousViolations(page);
    });
  }
});
