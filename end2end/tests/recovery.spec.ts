import { test, expect, hydrated, open, owner, ownerEmail, signIn, waitForEmail, linkIn, totp, untilNextStep } from './fixtures';

// Each test leaves the Owner's account as the next one expects it.
test.describe.configure({ mode: 'serial' });

test('a session revoked from another browser is signed out on its next request', async ({ browser, page, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = ownerEmail(testInfo.project.name);
  await open(page, '/sign-in', withJs);
  await signIn(page, email, owner.password);
  await expect(page).toHaveURL(/\/manage\/users$/);

  const phoneContext = await browser.newContext({ baseURL, javaScriptEnabled: withJs });
  const phone = await phoneContext.newPage();
  await open(phone, '/sign-in', withJs);
  await signIn(phone, email, owner.password);
  await expect(phone).toHaveURL(/\/manage\/users$/);

  await open(page, '/profile/active-sessions', withJs);
  await expect(page.getByRole('heading', { name: 'Active Sessions' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Your active sessions' });
  await expect(table.getByRole('row').filter({ hasText: 'This session' })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: 'This session' })).toContainText('Testville, Testland');
  await page.getByLabel('Current password').fill(owner.password);
  await page.getByRole('button', { name: 'Confirm password' }).click();
  await page.getByRole('button', { name: 'Revoke all other sessions' }).click();
  await expect(page.getByText('This is the only browser signed in to your account.')).toBeVisible();

  await phone.reload();
  await expect(phone).toHaveURL(/\/sign-in/);
  await phoneContext.close();
});

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

test('the Owner turns on two-factor authentication and signs in with a code', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const withJs = hydrated(testInfo);
  const email = ownerEmail(testInfo.project.name);
  const password = 'tangerine glacier whistle';
  await open(page, '/sign-in', withJs);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/manage\/users$/);

  await open(page, '/profile/security', withJs);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.locator('.secret-key').textContent()) ?? '';
  await page.getByLabel('Authentication code').fill(totp(secret));
  await page.getByLabel('Current password').fill(password);
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByRole('status')).toContainText('Two-factor authentication is on');
  await expect(page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem')).toHaveCount(10);

  const banner = page.getByRole('banner');
  await banner.getByText(owner.name).click();
  await banner.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/sign-in\/two-factor$/);

  // The code that turned it on was used; wait for the next one.
  await page.waitForTimeout(untilNextStep() + 500);
  await page.getByLabel('Authentication code').fill(totp(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/manage\/users$/);
});
