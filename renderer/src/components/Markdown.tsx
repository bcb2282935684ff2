import { Fragment, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline, type ListItem } from '../lib/markdown';

interface Props {
  source: string;
  /** ticks or clears the checklist item on that source line; absent: the boxes are read-only */
  onToggleTask?(line: number, checked: boolean): void;
}

function inlines(nodes: Inline[]): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text': return <Fragment key={i}>{n.text}</Fragment>;
      case 'strong': return <strong key={i}>{inlines(n.children)}</strong>;
      case 'em': return <em key={i}>{inlines(n.children)}</em>;
      case 'del': return <del key={i}>{inlines(n.children)}</del>;
      case 'code': return <code key={i}>{n.text}</code>;
      case 'br': return <br key={i} />;
      case 'link': return <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow">{inlines(n.children)}</a>;
      // images are never loaded (a remote image tells its server the memory was read)
      case 'image': return n.href
        ? <a key={i} href={n.href} target="_blank" rel="noopener noreferrer nofollow" className="md-image">image: {n.alt || n.href}</a>
        : <span key={i} className="md-image">image: {n.alt || 'not shown'}</span>;
    }
  });
}

function Item({ item, onToggleTask }: { item: ListItem; onToggleTask: Props['onToggleTask'] }) {
  if (item.checked === null) return <li>{inlines(item.children)}{item.sub.length > 0 && <Blocks blocks={item.sub} onToggleTask={onToggleTask} />}</li>;
  return (
    <li className="task">
      <label>
        <input type="checkbox" checked={item.checked} disabled={!onToggleTask} onChange={(e) => onToggleTask?.(item.line, e.target.checked)} />
        <span className={item.checked ? 'done' : undefined}>{inlines(item.children)}</span>
      </label>
      {item.sub.length > 0 && <Blocks blocks={item.sub} onToggleTask={onToggleTask} />}
    </li>
  );
}

function Blocks({ blocks, onToggleTask }: { blocks: Block[]; onToggleTask: Props['onToggleTask'] }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.t) {
          case 'heading': {
            // headings inside a memory sit below the page's own: # is a third-level heading here
            const H = `h${Math.min(6, b.level + 2)}` as 'h3';
            return <H key={i} className={`md-h${b.level}`}>{inlines(b.children)}</H>;
          }
          case 'paragraph': return <p key={i}>{inlines(b.children)}</p>;
          case 'code': return <pre key={i} className="md-code"><code>{b.text}</code></pre>;
          case 'quote': return <blockquote key={i}><Blocks blocks={b.children} onToggleTask={onToggleTask} /></blockquote>;
          case 'hr': return <hr key={i} />;
          case 'list': {
            const items = b.items.map((it, j) => <Item key={j} item={it} onToggleTask={onToggleTask} />);
            const tasks = b.items.every((it) => it.checked !== null) ? 'tasks' : undefined;
            return b.ordered ? <ol key={i} start={b.start} className={tasks}>{items}</ol> : <ul key={i} className={tasks}>{items}</ul>;
          }
        }
      })}
    </>
  );
}

/**
 * A memory's body, rendered. Only React elements are made from the parsed tree (lib/markdown.ts):
 * no innerHTML anywhere, so raw HTML in a memory shows as the text it is.
 */
export function Markdown({ source, onToggleTask }: Props) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <Blocks blocks={blocks} onToggleTask={onToggleTask} />;
}
