import { test, expect, hydrated, open, owner, ownerEmail, signIn, waitForEmail, linkIn } from './fixtures';

test('ten wrong passwords lock the account; a reset from the email unlocks it', async ({ page, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = ownerEmail(testInfo.project.name);
  const started = new Date();

  await open(page, '/sign-in', withJs);
  for (let attempt = 1; attempt <= 10; attempt++) {
    await signIn(page, email, `wrong password number ${attempt}`);
    await expect(page.getByRole('alert')).toContainText("That email and password don't match");
  }
  await signIn(page, email, owner.password);
  await expect(page.getByRole('alert')).toContainText("That email and password don't match");
  await expect(page).toHaveURL(/\/sign-in/);
  const locked = await waitForEmail(email, 'Your Roster account is locked', started);
  expect(linkIn(locked.text, `${baseURL}/recover`)).toBe(`${baseURL}/recover`);

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveTitle('Recover your password · Roster');
  await page.getByLabel('Email Address').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText("we've sent it a link to reset the password");

  const reset = await waitForEmail(email, 'Reset your Roster password', started);
  await open(page, linkIn(reset.text, `${baseURL}/reset/`), withJs);
  await expect(page.getByRole('heading', { name: 'Reset password' })).toBeVisible();
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByLabel('New password')).toHaveAccessibleDescription(/Use at least 15 characters/);
  await page.getByLabel('New password').fill('tangerine glacier whistle');
  await page.getByRole('button', { name: 'Reset password' }).click();

  await expect(page).toHaveURL(/\/sign-in\?notice=password-changed$/);
  await expect(page.getByRole('status')).toContainText('Your password has been changed');
  await waitForEmail(email, 'Your Roster password was changed', started);
  await signIn(page, email, 'tangerine glacier whistle');
  await expect(page).toHaveURL(/\/manage\/users$/);

  // The link worked once.
  await open(page, linkIn(reset.text, `${baseURL}/reset/`), withJs);
  await expect(page.getByRole('heading', { name: 'This reset link was already used' })).toBeVisible();
});
