// Drives the render bench in the page: generates the users, loads them into both tables,
// and times one step at a time for `cargo xtask bench --section render`, which calls
// `window.renderBench` through WebDriver and interleaves the two sides.
"use strict";

const BENCH_FIRST_NAMES = [
  "Aisha", "Bruno", "Chen", "Dara", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
  "Kemi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn",
];
const BENCH_LAST_NAMES = [
  "Garcia", "Nguyen", "Okafor", "Lindqvist", "Kowalski", "Patel", "Silva", "Tanaka", "Weber",
  "Yilmaz",
];

// Returns `count` users shaped like the API's `User`. Every tenth has the last name Garcia,
// so the term "garcia" matches 10% of them.
function benchUsers(count) {
  const users = [];
  for (let index = 0; index < count; index += 1) {
    const firstName = BENCH_FIRST_NAMES[index % BENCH_FIRST_NAMES.length];
    const lastName = BENCH_LAST_NAMES[index % BENCH_LAST_NAMES.length];
    const username = `${firstName}.${lastName}${index}`.toLowerCase();
    const statuses = ["deactivated", "invited"];
    users.push({
      id: index + 1,
      username,
      first_name: firstName,
      last_name: lastName,
      email: `${username}@example.com`,
      work_phone: null,
      admin_level: index % 15 === 0 ? "account_admin" : "basic_user",
      status: statuses[index % 10] ?? "active",
      roles: ["billing"],
      account_ids: [1],
      created_at: "2026-01-01T00:00:00Z",
      last_sign_in_at: null,
    });
  }
  return users;
}

function benchNextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function benchBindings() {
  return new Promise((resolve) => {
    if (window.wasmBindings) {
      resolve(window.wasmBindings);
      return;
    }
    addEventListener("TrunkApplicationStarted", () => resolve(window.wasmBindings), {
      once: true,
    });
  });
}

// Serialises the elements and text under `node` with each element's attributes sorted by
// name, leaving out comments. Leptos keeps comment nodes as placeholders and sets `class`
// before other attributes, neither of which changes what the page shows.
function benchMarkup(node) {
  let markup = "";
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      markup += child.data;
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const attributes = [...child.attributes]
        .map((attribute) => `${attribute.name}="${attribute.value}"`)
        .sort()
        .join(" ");
      const tag = child.localName;
      markup += `<${tag} ${attributes}>${benchMarkup(child)}</${tag}>`;
    }
  }
  return markup;
}

window.renderBench = (() => {
  let users = [];
  let app = null;
  const containers = {};

  const sides = {
    app: {
      all: () => app.show_all(),
      matching: (term) => app.show_matching(term),
      clear: () => app.clear(),
    },
    plain: {
      all: () => plainShow(containers.plain, users),
      matching: (term) => plainShowMatching(containers.plain, users, term),
      clear: () => plainShow(containers.plain, []),
    },
  };

  // Loads the wasm side and `count` users into both sides.
  async function start(count) {
    app = await benchBindings();
    containers.app = document.getElementById("app-table");
    containers.plain = document.getElementById("plain-table");
    users = benchUsers(count);
    app.mount_table(containers.app);
    app.load_users(users);
    return users.length;
  }

  // Shows every user on both sides and returns where their markup first differs, or null
  // when it is the same. Both sides are empty again afterwards.
  async function compareMarkup() {
    await sides.app.all();
    await sides.plain.all();
    const appMarkup = benchMarkup(containers.app);
    const plainMarkup = benchMarkup(containers.plain);
    await sides.app.clear();
    await sides.plain.clear();
    if (appMarkup === plainMarkup) {
      return null;
    }
    let at = 0;
    while (appMarkup[at] === plainMarkup[at]) {
      at += 1;
    }
    const around = (markup) => markup.slice(Math.max(0, at - 80), at + 80);
    return `app: …${around(appMarkup)}…\nplain: …${around(plainMarkup)}…`;
  }

  // Runs `step` ("all", "matching" or "clear") of `side` ("app" or "plain") and returns
  // the milliseconds from its start until the new table is laid out, and the rows shown.
  async function time(side, step, term) {
    if (typeof gc === "function") {
      gc();
    }
    // Starts right after a frame, so a frame's rendering doesn't fall inside the timing.
    await benchNextFrame();
    const start = performance.now();
    await sides[side][step](term);
    // Reading a size makes the browser compute styles and layout now.
    containers[side].getBoundingClientRect();
    const milliseconds = performance.now() - start;
    const rows = containers[side].querySelectorAll("tr.user-row").length;
    return { milliseconds, rows };
  }

  return { start, compareMarkup, time };
})();
