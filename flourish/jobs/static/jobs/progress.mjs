// Keeps a job's progress page up to date without reloading it: polls the job's JSON
// status and fills in the <progress> bar, the status text, and the result link or the
// "Try again" button. Without JavaScript the page's "Refresh" link does the same.
const POLL_MS = 1000;
const MAX_POLL_MS = 10000;

function show(root, status) {
  const bar = root.querySelector("progress");
  bar.value = status.progress;
  bar.textContent = `${status.progress}%`;
  const text = root.querySelector("[data-job-text]");
  if (text.textContent !== status.text) text.textContent = status.text;
  const details = root.querySelector("[data-job-details]");
  if (status.details.length && !details.children.length) {
    for (const line of status.details) {
      const item = document.createElement("li");
      item.textContent = line;
      details.append(item);
    }
    details.hidden = false;
  }
  const result = root.querySelector("[data-job-result]");
  if (status.result) {
    const link = root.querySelector("[data-job-result-link]");
    link.href = status.result.url;
    link.textContent = status.result.text;
    result.hidden = false;
  }
  root.querySelector("[data-job-retry]").hidden = !status.can_retry;
  root.querySelector("[data-job-refresh]").hidden = status.finished;
}

async function poll(root, delay) {
  let status;
  try {
    const response = await fetch(root.dataset.jobStatusUrl, {
      headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store",
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    status = await response.json();
  } catch {
    // A dropped connection: try again later, more slowly; the Refresh link still works.
    setTimeout(() => poll(root, Math.min(delay * 2, MAX_POLL_MS)), delay);
    return;
  }
  show(root, status);
  if (!status.finished) setTimeout(() => poll(root, POLL_MS), POLL_MS);
}

for (const root of document.querySelectorAll("[data-job-status-url]")) poll(root, POLL_MS);
