// The plain JavaScript side of the render bench: builds the same markup as the app's
// UserTable component (src/components/user_table.rs) with DOM calls, one click listener per
// status switch, and replaces the whole table on each change, as the app does.
"use strict";

const PLAIN_ADMIN_LEVEL_LABELS = { basic_user: "Basic User", account_admin: "Account Admin" };
const PLAIN_STATUS_LABELS = { active: "Active", invited: "Invited", deactivated: "Deactivated" };
const PLAIN_HEADERS = [
  "Username",
  "Name",
  "Email",
  "Administration level",
  "Status",
  "Created",
  "Last sign-in",
];
const PLAIN_TIME_OPTIONS = { dateStyle: "medium", timeStyle: "short" };

function plainElement(tag, attributes, children) {
  const element = document.createElement(tag);
  for (const [name, value] of attributes) {
    element.setAttribute(name, value);
  }
  for (const child of children) {
    element.append(child);
  }
  return element;
}

function plainCell(label, className, children) {
  const attributes = [["data-label", label]];
  if (className) {
    attributes.push(["class", className]);
  }
  return plainElement("td", attributes, children);
}

function plainStatusSwitch(user) {
  const id = `status-switch-${user.id}`;
  const fullName = `${user.first_name} ${user.last_name}`;
  const switchClass = user.status === "invited" ? "switch switch-invited" : "switch";
  const track = plainElement("span", [["class", "switch-track"], ["aria-hidden", "true"]], [
    plainElement("span", [["class", "switch-thumb"]], []),
  ]);
  const text = plainElement("span", [["class", "switch-text"], ["id", `${id}-text`]], [
    PLAIN_STATUS_LABELS[user.status],
  ]);
  const button = plainElement(
    "button",
    [
      ["type", "button"],
      ["role", "switch"],
      ["id", id],
      ["class", switchClass],
      ["aria-checked", user.status === "deactivated" ? "false" : "true"],
      ["aria-label", `Active: ${fullName}`],
      ["aria-describedby", `${id}-text`],
    ],
    [track, text],
  );
  button.addEventListener("click", () => console.log(`status switch of ${user.username} pressed`));
  return button;
}

function plainTime(timestamp) {
  const localTime = new Date(timestamp).toLocaleString("default", PLAIN_TIME_OPTIONS);
  return plainElement("time", [["datetime", timestamp]], [localTime]);
}

function plainRow(user) {
  const link = plainElement("a", [["href", `/users/${user.id}`]], [user.username]);
  return plainElement("tr", [["class", "user-row"], ["data-username", user.username]], [
    plainCell("Username", "user-username", [link]),
    plainCell("Name", "user-name", [`${user.first_name} ${user.last_name}`]),
    plainCell("Email", "user-email", [user.email]),
    plainCell("Administration level", null, [PLAIN_ADMIN_LEVEL_LABELS[user.admin_level]]),
    plainCell("Status", null, [plainStatusSwitch(user)]),
    plainCell("Created", "user-time", [plainTime(user.created_at)]),
    plainCell("Last sign-in", "user-time", [
      user.last_sign_in_at
        ? plainTime(user.last_sign_in_at)
        : plainElement("span", [["class", "never"]], ["Never"]),
    ]),
  ]);
}

function plainTable(users) {
  const headerCells = PLAIN_HEADERS.map((title) => plainElement("th", [["scope", "col"]], [title]));
  return plainElement("table", [["class", "user-table"], ["tabindex", "-1"]], [
    plainElement("caption", [["class", "visually-hidden"]], ["Users"]),
    plainElement("thead", [], [plainElement("tr", [], headerCells)]),
    plainElement("tbody", [], users.map(plainRow)),
  ]);
}

// Shows `users` in `container`, replacing the table there; an empty list shows nothing.
function plainShow(container, users) {
  const table = users.length === 0 ? null : plainTable(users);
  container.replaceChildren(...(table ? [table] : []));
  return users.length;
}

function plainMatches(user, term) {
  const fullName = `${user.first_name} ${user.last_name}`;
  return [user.username, fullName, user.email].some((text) => text.toLowerCase().includes(term));
}

// Shows the users whose username, name or email contains `term`, ignoring case.
function plainShowMatching(container, users, term) {
  const lowerTerm = term.toLowerCase();
  return plainShow(container, users.filter((user) => plainMatches(user, lowerTerm)));
}
