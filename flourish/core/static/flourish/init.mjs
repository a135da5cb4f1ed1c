// Starts govuk-frontend's components (menu toggle, error summary focus, ...).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();

// The add-a-person form's live check: with this person, can their group be shown in the
// report on its own? (Counts of people asked only; the page says the same in its table.)
for (const form of document.querySelectorAll("form[data-group-check]")) {
  const asked = JSON.parse(document.getElementById("asked-by-group").textContent);
  const k = Number(form.dataset.k);
  const hint = form.querySelector("#group-check");
  const say = () => {
    const parts = [];
    for (const [field, label] of [["profession", "professional group"], ["relationship", "relationship"]]) {
      const select = form.querySelector(`select[name="${field}"]`);
      if (!select || !select.value) continue;
      const n = (asked[field][select.value] || 0) + 1;
      const name = select.options[select.selectedIndex].text;
      parts.push(n >= k
        ? `With this person, ${n} asked in the ${label} “${name}”: it can be shown, if at least ${k} answer.`
        : `With this person, ${n} asked in the ${label} “${name}”: fewer than ${k}, so it cannot be shown on its own.`);
    }
    hint.textContent = parts.join(" ");
  };
  form.addEventListener("change", say);
  say();
}
