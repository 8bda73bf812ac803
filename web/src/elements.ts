/** Small DOM helpers: every text goes in as text, never as markup. */

type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(typeof child === 'number' ? String(child) : child);
  return element;
}

/**
 * A table; one of more than four columns stacks its cells on narrow screens, one of more than
 * eight on middling ones too (dashboard.css), each cell then labelled with its column's
 * heading from `data-label`.
 */
export function table(head: readonly string[], rows: readonly Child[][], attributes: Record<string, string> = {}): HTMLTableElement {
  const labelled = (content: Child, column: number) => {
    const td = content instanceof HTMLTableCellElement ? content : el('td', {}, content);
    if (!td.hasAttribute('data-label')) td.setAttribute('data-label', head[column] ?? '');
    return td;
  };
  const classes = [attributes['class'] ?? '', head.length > 4 ? 'stack' : '', head.length > 8 ? 'stack-wide' : ''].filter(Boolean).join(' ');
  return el(
    'table',
    { ...attributes, ...(classes && { class: classes }) },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map(labelled)))),
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
