// Starts govuk-frontend's components (menu toggle, error summary focus, ...).
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
