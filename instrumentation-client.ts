// Runs in the browser before Next.js hydrates the page and before the app's own client modules load.
import "./lib/common/zod-jitless";
