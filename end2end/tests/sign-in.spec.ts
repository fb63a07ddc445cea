import { test, expect, hydrated, open, owner, ownerEmail, signIn } from './fixtures';

test.use({ storageState: { cookies: [], origins: [] } });

test('an anonymous visitor signs in, comes back where they were going, and signs out', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/manage/users', withJs);
  await expect(page).toHaveURL(/\/sign-in\?next=\/manage\/users$/);
  await expect(page).toHaveTitle('Sign in · Roster');

  await signIn(page, ownerEmail(testInfo.project.name), 'not my password at all');
  await expect(page.getByRole('alert')).toContainText("That email and password don't match");

  await signIn(page, ownerEmail(testInfo.project.name), owner.password);
  await expect(page).toHaveURL(/\/manage\/users$/);
  await expect(page.getByRole('rowheader', { name: new RegExp(owner.name) })).toBeVisible();

  const banner = page.getByRole('banner');
  await banner.getByText(owner.name).click();
  await banner.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in\?notice=signed-out$/);
  await expect(page.getByRole('status')).toContainText('You have signed out.');
  await open(page, '/manage/users', withJs);
  await expect(page).toHaveURL(/\/sign-in/);
});
