import { readFileSync } from 'node:fs';
import { test, expect, hydrated, open, owner, uniqueEmail } from './fixtures';

/*
 * Manage > Audit log: what an admin did, in words; the filters, kept in the
 * address; a user's profile opening the log filtered to them; Export CSV.
 */

test('an admin reads, filters and exports the audit log, and opens it from a profile', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const withJs = hydrated(testInfo);
  const email = uniqueEmail('edsger', testInfo.project.name);
  await open(page, '/manage/users', withJs);
  await page.getByRole('button', { name: 'Add User' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add User' });
  await dialog.getByLabel('Name', { exact: true }).fill('Edsger Dijkstra');
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByRole('checkbox', { name: 'Send an invite email?' }).uncheck();
  await dialog.getByRole('button', { name: 'Create User' }).click();
  await expect(page.getByRole('status')).toContainText('Edsger Dijkstra was added.');
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Edsger Dijkstra' }).click();
  const nav = page.getByRole('navigation', { name: 'Profile sections' });
  await nav.getByRole('link', { name: 'Role' }).click();
  await page.getByLabel('Role').selectOption({ label: 'Administrator' });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Role saved.');

  // From the top bar's Manage menu.
  await page.getByText('Manage', { exact: true }).click();
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  if (withJs) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const changed = `${owner.name} changed Edsger Dijkstra's role from User to Administrator`;
  const events = page.getByRole('table', { name: 'Events, newest first' });
  await expect(events.getByRole('row').nth(1)).toContainText(changed);
  await expect(page.getByText(/^Times are in UTC/)).toBeVisible();

  // One kind of event: the choice stays in the address and the form.
  await page.getByLabel('Kind of event').selectOption({ label: 'User created' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/kind=user\.created/);
  await expect(page.getByLabel('Kind of event')).toHaveValue('user.created');
  await expect(events.getByRole('row').nth(1)).toContainText(`${owner.name} added Edsger Dijkstra as a User`);
  await expect(events.getByText(changed)).toHaveCount(0);

  // A date that cannot be read is said next to its field, and nothing is listed.
  await open(page, '/manage/audit-log?from=yesterday', withJs);
  await expect(page.getByLabel('From')).toHaveAccessibleDescription('Enter a date like 2026-12-31.');
  await expect(page.getByText('No events match.')).toHaveCount(0);
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/manage\/audit-log$/);

  // The profile opens the log filtered to its user.
  await open(page, '/manage/users', withJs);
  await page.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Edsger Dijkstra' }).click();
  await page.getByRole('link', { name: 'View in audit log' }).click();
  await expect(page.getByRole('status')).toHaveText(`Events by or about Edsger Dijkstra (${email}).`);
  const rows = page.getByRole('table', { name: 'Events, newest first' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText(changed);

  // Export CSV downloads what the filter shows.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('audit-log.csv');
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n').filter(Boolean);
  expect(csv).toHaveLength(3);
  expect(csv[0]).toMatch(/^"Time \(UTC\)","Time \(UTC\)","Kind","Event","By","By email","About","About email","IP address","Request ID"$/);
  expect(csv[1]).toContain(`"${changed}"`);
  expect(csv[2]).toContain(`"${email}"`);
});
