import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { escapeHtml, PAGE_STYLE_HASH, renderPage } from '../../src/http/htmlPage.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/http/securityHeaders.ts';

const Page = suite('html pages');

Page('every text and attribute is escaped', () => {
  const html = renderPage({
    locale: 'en',
    heading: '<script>alert(1)</script>',
    text: `"quoted" & 'single'`,
    action: { href: 'https://t.me/x?start="><img src=x>', label: '<b>go</b>' },
    note: '<i>n</i>',
  });
  assert.not.ok(html.includes('<script>'));
  assert.not.ok(html.includes('<img'));
  assert.not.ok(html.includes('<b>') || html.includes('<i>'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;quoted&quot; &amp; &#39;single&#39;'));
  assert.is(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
});

Page('the inline style is exactly the one the CSP allows by hash, and nothing loads from outside', () => {
  const html = renderPage({ locale: 'ru', heading: 'h', text: 't' });
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  assert.is(`'sha256-${createHash('sha256').update(style).digest('base64')}'`, PAGE_STYLE_HASH);
  assert.ok(CONTENT_SECURITY_POLICY.includes(`style-src ${PAGE_STYLE_HASH}`));
  assert.ok(html.startsWith('<!doctype html><html lang="ru">'));
  assert.not.ok(/<(script|img|link|iframe|form)\b/.test(html));
  assert.not.ok(/\b(src|srcset)=/.test(html));
});

Page.run();
