/**
 * A snippet as the server marks it (`<mark>word</mark>` around matched words), shown as text with
 * real <mark> elements: the rest is never parsed as HTML, so a recorded "<script>" stays text.
 */
export function MarkedText({ text }: { text: string }) {
  const parts = text.split(/(<mark>.*?<\/mark>)/g);
  return (
    <>
      {parts.map((part, index) => {
        const marked = /^<mark>(.*)<\/mark>$/.exec(part);
        return marked ? <mark key={index}>{marked[1]}</mark> : part;
      })}
    </>
  );
}
