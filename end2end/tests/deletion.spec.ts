import { Page } from '@playwright/test';
import { test, expect, hydrated, open, uniqueEmail } from './fixtures';

async function billedUsers(page: Page): Promise<number> {
  const line = await page.getByText(/users? counts? toward monthly billing/).textContent();
  return Number(line!.match(/(\d+) users? counts?/)![1]);
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
  await page.getByRole('button', { name: 'Delete user' }).click();
  await expect(page.getByRole('group', { name: 'Why are you deleting this user?' })).toHaveAccessibleDescription(/Choose why/);
  await page.getByRole('radio', { name: 'Other' }).check();
  await page.getByLabel('Other reason').fill('Contract ended');
  await page.getByRole('button', { name: 'Delete user' }).click();
  await expect(page.getByRole('checkbox', { name: 'Yes, delete Dennis Ritchie' })).toHaveAccessibleDescription(/Tick the box/);

  if (!withJs) {
    await page.getByRole('radio', { name: 'Other' }).check();
    await page.getByLabel('Other reason').fill('Contract ended');
  }
  await page.getByRole('checkbox', { name: 'Yes, delete Dennis Ritchie' }).check();
  await page.getByRole('button', { name: 'Delete user' }).click();
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
