// Selection mode of the coding page: a progressive enhancement (without it the selection
// form takes typed positions, and whole turns are coded with their own forms).
//
// When words are selected in the transcript, their positions in the source's text go into
// the selection form. Positions count Unicode code points, as Python's str indices do (the
// server's convention), not the UTF-16 units of JavaScript strings: "😀" counts 1, not 2.
// Each turn's words are one element whose data-start is the position of its first
// character, and whose text is exactly source.text[data-start:data-end].

export function codePoints(text) {
  return Array.from(text).length;
}

// The position in the source of a DOM point (node, offset) inside a turn's element.
export function positionIn(turn, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(turn);
  range.setEnd(node, offset);
  return Number(turn.dataset.start) + codePoints(range.toString());
}

function words(turn, start, end) {
  const first = Number(turn.dataset.start);
  return Array.from(turn.textContent).slice(start - first, end - first).join("");
}

// {start, end, quote, preview} of the current selection, or null when it holds no words of
// the transcript. A selection that starts or ends outside the turns' words (on a label,
// a checkbox, between turns) is cut to the words it covers.
export function selectedSpan(transcript, selection = document.getSelection()) {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const turns = [...transcript.querySelectorAll("[data-start]")].filter((t) => range.intersectsNode(t));
  if (!turns.length) return null;
  let first = turns[0];
  let last = turns[turns.length - 1];
  let start = first.contains(range.startContainer)
    ? positionIn(first, range.startContainer, range.startOffset) : Number(first.dataset.start);
  let end = last.contains(range.endContainer)
    ? positionIn(last, range.endContainer, range.endOffset) : Number(last.dataset.end);
  if (turns.length > 1 && start >= Number(first.dataset.end)) {
    first = turns[1];
    start = Number(first.dataset.start);
  }
  if (turns.length > 1 && end <= Number(last.dataset.start)) {
    last = turns[turns.length - 2];
    end = Number(last.dataset.end);
  }
  if (end <= start) return null;
  if (first === last) {
    const quote = words(first, start, end);
    return { start, end, quote, preview: quote };
  }
  // The text between turns (the next speaker's label) is not on the page, so no quote.
  const preview = `${words(first, start, Number(first.dataset.end))} … ${words(last, Number(last.dataset.start), end)}`;
  return { start, end, quote: "", preview };
}

function shorten(text, size = 160) {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length > size ? `${chars.slice(0, size - 1).join("")}…` : chars.join("");
}

function enhance(transcript, form) {
  const positions = form.querySelector("[data-qual-positions]");
  const preview = form.querySelector("[data-qual-preview]");
  const field = (name) => form.querySelector(`[name$="-${name}"], [name="${name}"]`);
  const [startField, endField, quoteField] = ["start", "end", "quote"].map(field);
  if (!positions || !preview || !startField || !endField || !quoteField) return;
  // Typed positions stay in view when the server found a problem with them.
  if (!positions.querySelector(".govuk-form-group--error")) {
    positions.hidden = true;
  }
  preview.hidden = false;
  transcript.classList.add("qual-selection-ready");

  document.addEventListener("selectionchange", () => {
    const span = selectedSpan(transcript);
    if (!span) return; // keep the last selection while the person ticks codes
    startField.value = span.start;
    endField.value = span.end;
    quoteField.value = span.quote;
    preview.textContent = `Selected: “${shorten(span.preview)}” (characters ${span.start} to ${span.end}).`;
  });

  form.addEventListener("submit", (event) => {
    if (!startField.value || !endField.value) {
      event.preventDefault();
      preview.textContent = "Select some words in the transcript first, then choose codes for them.";
    }
  });
}

const transcript = document.querySelector("[data-qual-transcript]");
const form = document.querySelector("[data-qual-selection-form]");
if (transcript && form) enhance(transcript, form);
