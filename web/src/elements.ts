/** Small DOM helpers: every text goes in as text, never as markup. */

type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(typeof child === 'number' ? String(child) : child);
  return element;
}

export function table(head: readonly string[], rows: readonly Child[][], attributes: Record<string, string> = {}): HTMLTableElement {
  return el(
    'table',
    attributes,
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => (cell instanceof HTMLTableCellElement ? cell : el('td', {}, cell)))))),
  );
}

export function cell(content: Child, attributes: Record<string, string> = {}): HTMLTableCellElement {
  return el('td', attributes, content);
}

export function percent(ratio: string | number): string {
  return `${(Number(ratio) * 100).toFixed(2)}%`;
}

export function replaceContent(id: string, ...children: Child[]): void {
  const target = document.getElementById(id);
  if (target) target.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
}
