import { useMemo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { attachmentIdOf, memoryUrl, rehypeChecklists, rehypeWikiLinks, splitFrontMatter } from '../lib/markdown';

/** How the view shows a memory's own files; absent (a preview, a test): their names only. */
export interface AttachmentSlots {
  /** `![alt](attachment:<id>)`: the image itself */
  image(id: string, alt: string): ReactNode;
  /** `[label](attachment:<id>)`: a chip that opens or saves the file */
  file(id: string, label: ReactNode): ReactNode;
}

/** How the view follows a `[[Title]]` link; absent: the words only. */
export type WikiSlot = (title: string, label: ReactNode) => ReactNode;

interface Props {
  source: string;
  /** ticks or clears the checklist item on that source line; absent: the boxes are read-only */
  onToggleTask?(line: number, checked: boolean): void;
  attachments?: AttachmentSlots;
  wiki?: WikiSlot;
}

const REMARK = [remarkGfm];
const REHYPE = [rehypeChecklists, rehypeWikiLinks];

// headings inside a memory sit below the page's own: # is a third-level heading here
const heading = (level: 1 | 2 | 3 | 4 | 5 | 6): Components['h1'] => {
  const H = `h${Math.min(6, level + 2)}` as 'h3';
  return function Heading({ node: _node, ...p }) { return <H {...p} className={`md-h${level}`} />; };
};

function components(onToggleTask: Props['onToggleTask'], slots: Props['attachments'], wiki: Props['wiki']): Components {
  return {
    span({ node: _node, className, children, ...p }) {
      const title = (p as Record<string, unknown>)['data-title'];
      if (className === 'md-wiki' && typeof title === 'string') return wiki ? <>{wiki(title, children)}</> : <span className="md-wiki">{children}</span>;
      return <span className={className}>{children}</span>;
    },
    h1: heading(1), h2: heading(2), h3: heading(3), h4: heading(4), h5: heading(5), h6: heading(6),
    pre: ({ node: _node, ...p }) => <pre {...p} className="md-code" />,
    a({ node: _node, href, children }) {
      const id = attachmentIdOf(href);
      if (id) return slots ? <>{slots.file(id, children)}</> : <span className="md-file">{children}</span>;
      // memoryUrl emptied it (javascript:, data:, a relative path): the words stay, inert
      if (!href) return <span className="md-dead-link">{children}</span>;
      return <a href={href} target="_blank" rel="noopener noreferrer nofollow">{children}</a>;
    },
    img({ src, alt }) {
      const url = typeof src === 'string' ? src : '';
      const id = attachmentIdOf(url);
      if (id) return slots ? <>{slots.image(id, alt ?? '')}</> : <span className="md-image">image: {alt || 'not shown'}</span>;
      // remote images are never loaded (a remote image tells its server the memory was read)
      return url
        ? <a href={url} target="_blank" rel="noopener noreferrer nofollow" className="md-image">image: {alt || url}</a>
        : <span className="md-image">image: {alt || 'not shown'}</span>;
    },
    input({ node: _node, type, checked, ...p }) {
      if (type !== 'checkbox') return null;
      const line = Number((p as Record<string, unknown>)['data-line']);
      return (
        <input type="checkbox" checked={!!checked} data-line={line} disabled={!onToggleTask || !Number.isInteger(line)}
          onChange={(e) => onToggleTask?.(line, e.target.checked)} />
      );
    },
  };
}

/**
 * A memory's body, rendered: react-markdown with GFM (tables, strikethrough, autolinks, checklists)
 * into React elements, never innerHTML. Raw HTML in the text shows as the text it is; links keep
 * only http(s), mailto and tel targets (lib/markdown.ts memoryUrl); `attachment:` ones go to the
 * slots the editor gives.
 */
export function Markdown({ source, onToggleTask, attachments, wiki }: Props) {
  const comps = useMemo(() => components(onToggleTask, attachments, wiki), [onToggleTask, attachments, wiki]);
  const { front, body } = useMemo(() => splitFrontMatter(source), [source]);
  return (
    <>
      {/* the note's own properties, as it had them (text, never parsed into markup) */}
      {front !== null && <details className="md-front-matter"><summary>Properties</summary><pre>{front}</pre></details>}
      <ReactMarkdown remarkPlugins={REMARK} rehypePlugins={REHYPE} urlTransform={memoryUrl} components={comps}>
        {body}
      </ReactMarkdown>
    </>
  );
}
