import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

/**
 * Every test fails on a console error, an uncaught exception, a hydration
 * warning, a 5xx answer, or a missing asset. A 4xx for a page or server
 * function is part of some flows (a form with errors answers 422); those
 * tests assert the status themselves.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      const text = message.text();
      const expectedClientError = /Failed to load resource: the server responded with a status of 4\d\d/.test(text);
      if (message.type() === 'error' && !expectedClientError) problems.push(`console error: ${text}`);
      if (/hydrat/i.test(text) && message.type() !== 'debug') problems.push(`hydration: ${text}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (response.status() >= 500) problems.push(`${response.status()} from ${url.pathname}`);
      const isAsset = url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/favicon');
      if (isAsset && response.status() >= 400) problems.push(`missing asset ${url.pathname}`);
    });
    await use(page);
    expect(problems, 'console errors, hydration warnings or failed requests').toEqual([]);
  },
});

export { expect };

/**
 * Fails on any WCAG 2.0/2.1 A or AA violation axe rates serious or critical
 * (listing each rule and the elements that break it). axe runs inside the
 * page: JavaScript must be on.
 */
export async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `serious or critical accessibility violations on ${page.url()}`).toEqual([]);
}

/** Whether this project runs with JavaScript (and so hydration) on. */
export function hydrated(testInfo: { project: { use: { javaScriptEnabled?: boolean } } }): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Opens a page and, when JavaScript is on, waits until it is interactive. */
export async function open(page: Page, path: string, withJs: boolean) {
  const response = await page.goto(path);
  if (withJs) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  return response;
}

export const owner = {
  company: 'Northwind Support',
  name: 'Grace Hopper',
  password: 'compass lantern orchard violet',
};

/** The Owner's address on this project's server (one account per server). */
export function ownerEmail(project: string): string {
  return `grace.${project.replace(/-(setup|recovery|deletion|deactivation)$/, '')}@northwind.example`;
}

/** Where a project's setup test leaves the signed-in Owner's cookies. */
export function authFile(project: string): string {
  return `test-results/.auth/${project.replace(/-(setup|recovery|deletion|deactivation)$/, '')}.json`;
}

/** Signs in through the sign-in page (the browser starts signed out). */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email Address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((response) => response.url().includes('/api/sign-in')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  // With JavaScript the answer is put in place after it arrives, and until
  // then the form is busy and ignores another press: wait for it, or the
  // next sign-in may fill and press the old form (the same alert showing).
  await expect(page.locator('form[aria-busy="true"]')).toHaveCount(0);
}

type SinkEmail = { subject: string; text: string; to: { address: string }[]; time: string };

/**
 * Waits until `count` emails to `address` with this subject arrived no
 * earlier than `after`; returns the newest. The sink keeps whole
 * seconds, so `after` is rounded down to its second.
 */
export async function waitForEmail(address: string, subject: string, after = new Date(0), count = 1): Promise<SinkEmail> {
  const mailbox = process.env.ROSTER_TEST_MAILBOX_URL ?? 'http://127.0.0.1:1081';
  const since = Math.floor(after.getTime() / 1000) * 1000;
  for (let i = 0; i < 75; i++) {
    const all: SinkEmail[] = await (await fetch(`${mailbox}/api/email`)).json();
    const mine = all.filter(
      (e) => e.subject === subject && e.to.some((t) => t.address === address) && new Date(e.time).getTime() >= since,
    );
    if (mine.length >= count) return mine[mine.length - 1];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no email "${subject}" to ${address}`);
}

/** The first link in `text` that starts with `prefix`. */
export function linkIn(text: string, prefix: string): string {
  const start = text.indexOf(prefix);
  if (start < 0) throw new Error(`no ${prefix} link in ${text}`);
  return text.slice(start).split(/\s/)[0];
}

/** The 6-digit TOTP code (RFC 6238, SHA-1, 30 s) for a base32 secret. */
export function totp(secretBase32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/\s/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(Math.floor(at / 30_000)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[19] & 0x0f;
  const binary = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3];
  return String(binary % 1_000_000).padStart(6, '0');
}

/** Milliseconds until the next 30-second TOTP step begins. */
export function untilNextStep(at = Date.now()): number {
  return 30_000 - (at % 30_000);
}

/**
 * Runs SQL against this project's database: only to arrange what a browser
 * cannot (an invitation past its expiry), never to check the result.
 */
export function sql(project: string, statement: string): void {
  const database = project.startsWith('hydrated') ? 'roster_e2e_hydrated' : 'roster_e2e_nojs';
  const psql = process.env.ROSTER_PSQL ?? 'psql';
  execFileSync(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${process.env.ROSTER_E2E_DATABASE_URL}/${database}`, '-c', statement]);
}

/** An address no other test uses. */
export function uniqueEmail(name: string, project: string): string {
  return `${name}.${project}.${Date.now()}${Math.floor(Math.random() * 1000)}@northwind.example`;
}
