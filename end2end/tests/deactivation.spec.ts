import { Browser, Page } from '@playwright/test';
import { test, expect, hydrated, open, owner, signIn, uniqueEmail, waitForEmail, linkIn } from './fixtures';

const inviteSubject = `${owner.name} invited you to ${owner.company} on Roster`;
const password = 'harbour willow copper dusk';
const signedOut = { cookies: [], origins: [] };

async function billedUsers(page: Page): Promise<number> {
  const line = await page.getByText(/users? counts? toward monthly billing/).textContent();
  return Number(line!.match(/([\d,]+) users? counts?/)![1].replace(/,/g, ''));
}

function rowOf(page: Page, email: string) {
  return page.getByRole('row').filter({ hasText: email });
}

/** Adds a user with an invite, and has them accept it in a browser of their own, left signed in. */
async function colleagueSignedIn(page: Page, browser: Browser, baseURL: string, withJs: boolean, name: string, email: string) {
  const started = new Date();
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText(`${name} was added.`);
  const invite = await waitForEmail(email, inviteSubject, started);
  const context = await browser.newContext({ baseURL, javaScriptEnabled: withJs, storageState: signedOut });
  const colleague = await context.newPage();
  await open(colleague, linkIn(invite.text, `${baseURL}/invite/`), withJs);
  await colleague.getByLabel('Password', { exact: true }).fill(password);
  await colleague.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(colleague.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
  return colleague;
}

test('Deactivate user from the row menu: their session ends, they cannot sign in, the bill drops; Reactivate user lets them back', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('margaret', testInfo.project.name);
  const colleague = await colleagueSignedIn(page, browser, baseURL!, withJs, 'Margaret Hamilton', email);

  await open(page, '/manage/users', withJs);
  const before = await billedUsers(page);
  await rowOf(page, email).getByRole('button', { name: 'Actions for Margaret Hamilton' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate user' }).click();
  await expect(page.getByRole('heading', { name: 'Deactivate Margaret Hamilton', level: 1 })).toBeVisible();
  await expect(page.getByText('They are signed out at once (1 open session)')).toBeVisible();
  await expect(page.getByText('They no longer count toward billing.')).toBeVisible();
  await page.getByRole('button', { name: 'Deactivate user' }).click();
  await expect(page).toHaveURL(/\/manage\/users\?done=deactivated/);
  await expect(page.getByRole('status')).toContainText('Margaret Hamilton was deactivated.');
  await expect(rowOf(page, email)).toHaveCount(0);
  expect(await billedUsers(page)).toBe(before - 1);
  await expect(page.getByText(/deactivated users? do(esn't|n't) count/)).toBeVisible();

  // The filter shows them, with their status.
  await page.getByRole('checkbox', { name: 'Show deactivated users' }).check();
  if (!withJs) await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/deactivated=show/);
  await expect(rowOf(page, email)).toContainText('Deactivated');

  // Their open session has ended; signing in answers as a wrong password does.
  await colleague.reload();
  await expect(colleague).toHaveURL(/\/sign-in/);
  await signIn(colleague, email, password);
  await expect(colleague.getByRole('alert')).toContainText("That email and password don't match");

  await rowOf(page, email).getByRole('button', { name: 'Actions for Margaret Hamilton' }).click();
  await page.getByRole('menuitem', { name: 'Reactivate user' }).click();
  await expect(page.getByRole('heading', { name: 'Reactivate Margaret Hamilton', level: 1 })).toBeVisible();
  await expect(page.getByText('They can sign in again with the password they had.')).toBeVisible();
  await page.getByRole('button', { name: 'Reactivate user' }).click();
  await expect(page.getByRole('status')).toContainText('Margaret Hamilton was reactivated');
  await expect(rowOf(page, email)).toContainText('Active');
  expect(await billedUsers(page)).toBe(before);

  await open(colleague, '/sign-in', withJs);
  await signIn(colleague, email, password);
  await expect(colleague).not.toHaveURL(/\/sign-in/);
  await colleague.context().close();
});

test('the profile offers Deactivate user and Reactivate user, never for the Owner or oneself', async ({ page, browser, baseURL }, testInfo) => {
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('barbara', testInfo.project.name);
  const colleague = await colleagueSignedIn(page, browser, baseURL!, withJs, 'Barbara Liskov', email);
  await colleague.context().close();
  await open(page, '/manage/users', withJs);
  await rowOf(page, email).getByRole('link', { name: 'Barbara Liskov' }).click();
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await nav.getByRole('link', { name: 'Deactivate user' }).click();
  await page.getByRole('button', { name: 'Deactivate user' }).click();
  await expect(page.getByRole('status')).toContainText('Barbara Liskov was deactivated.');

  await open(page, '/manage/users?deactivated=show', withJs);
  await rowOf(page, email).getByRole('link', { name: 'Barbara Liskov' }).click();
  await expect(page.getByText('User · Deactivated')).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Reactivate user' }).click();
  await page.getByRole('button', { name: 'Reactivate user' }).click();
  await expect(page.getByRole('status')).toContainText('Barbara Liskov was reactivated');

  await open(page, '/profile/profile', withJs);
  await expect(page.getByRole('navigation', { name: 'Profile sections' }).getByRole('link', { name: 'Deactivate user' })).toHaveCount(0);
});
