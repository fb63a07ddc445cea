import { test, expect, hydrated, open, owner, ownerEmail, authFile } from './fixtures';

test('a new install leads to setup, which creates the Owner and shows their row', async ({ page }, testInfo) => {
  const withJs = hydrated(testInfo);
  await open(page, '/', withJs);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page).toHaveTitle('Set up Roster · Roster');
  await expect(page.getByRole('heading', { name: 'Set up Roster' })).toBeVisible();

  // First with mistakes: each error appears next to its field.
  await page.getByLabel('Company name').fill(owner.company);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email Address').fill('grace-at-northwind');
  await page.getByLabel('Password', { exact: true }).fill('password1234567');
  if (withJs) {
    // Hydrated, the browser runs the server's own rules as you leave a field.
    await page.getByLabel('Email Address').blur();
    await expect(page.getByLabel('Email Address')).toHaveAccessibleDescription(/Enter an email address like name@example.com/);
    // …and hints at a password's strength as you type. (The list of
    // breached passwords stays on the server: it says "too common" below.)
    await page.getByLabel('Password', { exact: true }).fill('short one');
    await expect(page.getByText('Strength: too weak')).toBeVisible();
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await expect(page.getByText('Strength: strong')).toBeVisible();
    await page.getByLabel('Password', { exact: true }).fill('password1234567');
  }
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Email Address')).toHaveAccessibleDescription(/Enter an email address like name@example.com/);
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/too common/);

  // Then right. Without JavaScript the form came back empty.
  await page.getByLabel('Company name').fill(owner.company);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email Address').fill(ownerEmail(testInfo.project.name));
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/manage\/users$/);
  await expect(page).toHaveTitle('Users · Roster');
  const row = page.getByRole('row', { name: new RegExp(owner.name) });
  await expect(row).toContainText(ownerEmail(testInfo.project.name));
  await expect(row).toContainText('Account Owner');
  await expect(row).toContainText('Active');
  await expect(page.getByRole('banner')).toContainText(owner.company);

  // Setup is gone now.
  await open(page, '/setup', withJs);
  await expect(page).toHaveURL(/\/manage\/users$/);

  // The other tests of this project start signed in as this Owner.
  await page.context().storageState({ path: authFile(testInfo.project.name) });
});
