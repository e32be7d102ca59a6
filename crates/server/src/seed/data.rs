//! The demo organisation written on first start: fixed data, so tests can rely on it.

use domain::AdminLevel::{self, AccountAdmin as ADMIN, BasicUser as BASIC};

/// Role name and one-line description. The id is the name in snake_case.
pub const ROLES: [(&str, &str); 11] = [
    (
        "Address Management",
        "Add, validate and change service addresses and 911 locations.",
    ),
    (
        "Billing Reports",
        "View and download invoices, usage charges and billing reports.",
    ),
    (
        "Configuration",
        "Change account-wide settings such as SIP peers and routing.",
    ),
    ("Disconnect", "Disconnect telephone numbers and services."),
    (
        "Line Features",
        "Change caller ID, call forwarding and other per-line features.",
    ),
    (
        "Ordering",
        "Place and track orders for new numbers and services.",
    ),
    (
        "Porting",
        "Submit and manage port-in and port-out requests.",
    ),
    ("Reporting", "Run and schedule usage and traffic reports."),
    (
        "Requirements Package Manager",
        "Create and submit regulatory requirements packages.",
    ),
    (
        "Requirements Package Viewer",
        "View regulatory requirements packages and their status.",
    ),
    (
        "Voice Configuration Package Management",
        "Create and assign voice configuration packages for numbers.",
    ),
];

/// Account number and name, in the order that assigns ids from 1.
pub const ACCOUNTS: [(&str, &str); 4] = [
    ("7100-4482-01", "Meridian Health Partners - Head Office"),
    (
        "7100-4482-02",
        "Meridian Health Partners - Northgate Clinic",
    ),
    (
        "7100-4482-03",
        "Meridian Health Partners - Patient Contact Centre",
    ),
    ("7100-5530-01", "Meridian Labs"),
];

/// A demo user, deactivated when `active` is false.
pub struct SeedUser {
    pub username: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
    pub work_phone: Option<&'static str>,
    pub admin_level: AdminLevel,
    pub active: bool,
    pub roles: &'static [&'static str],
    pub account_ids: &'static [i64],
}

/// Ids of every role, as granted to account admins.
pub const ALL_ROLES: &[&str] = &[
    "address_management",
    "billing_reports",
    "configuration",
    "disconnect",
    "line_features",
    "ordering",
    "porting",
    "reporting",
    "requirements_package_manager",
    "requirements_package_viewer",
    "voice_configuration_package_management",
];
const ORDERS: &[&str] = &["line_features", "ordering", "porting"];
const REPORTS: &[&str] = &["billing_reports", "reporting"];

#[allow(clippy::too_many_arguments)]
const fn user(
    username: &'static str,
    first_name: &'static str,
    last_name: &'static str,
    email: &'static str,
    work_phone: Option<&'static str>,
    admin_level: AdminLevel,
    active: bool,
    roles: &'static [&'static str],
    account_ids: &'static [i64],
) -> SeedUser {
    SeedUser {
        username,
        first_name,
        last_name,
        email,
        work_phone,
        admin_level,
        active,
        roles,
        account_ids,
    }
}

/// The demo users, in insertion order: ids are assigned from 1. The first two are the
/// users that can sign in. The others wait for an invitation and have no password.
#[rustfmt::skip]
pub const USERS: [SeedUser; 40] = [
    user("admin", "Avery", "Lindqvist", "avery.lindqvist@meridianhealth.example", Some("+14155550100"), ADMIN, true, ALL_ROLES, &[1, 2, 3, 4]),
    user("viewer", "Noah", "Okafor", "noah.okafor@meridianhealth.example", None, BASIC, true, REPORTS, &[1]),
    user("priya.raman", "Priya", "Raman", "priya.raman@meridianhealth.example", Some("+14155550123"), ADMIN, true, ALL_ROLES, &[1, 2, 3]),
    user("mateo.garcia", "Mateo", "García", "mateo.garcia@meridianhealth.example", Some("+34912345678"), ADMIN, true, &["disconnect", "line_features", "ordering", "porting"], &[2, 3]),
    user("sofia.rossi", "Sofia", "Rossi", "sofia.rossi@meridianhealth.example", None, BASIC, true, ORDERS, &[1]),
    user("liam.chen", "Liam", "Chen", "liam.chen@meridianlabs.example", Some("+14155550188"), BASIC, true, &["reporting"], &[4]),
    user("amara.nwosu", "Amara", "Nwosu", "amara.nwosu@meridianhealth.example", None, BASIC, false, &["billing_reports"], &[1]),
    user("jonas.muller", "Jonas", "Müller", "jonas.mueller@meridianhealth.example", None, BASIC, true, &["configuration", "voice_configuration_package_management"], &[2]),
    user("yuki.tanaka", "Yuki", "Tanaka", "yuki.tanaka@meridianhealth.example", Some("+81312345678"), BASIC, true, &["address_management"], &[1, 2]),
    user("fatima.haddad", "Fatima", "Haddad", "fatima.haddad@meridianhealth.example", None, BASIC, true, ORDERS, &[3]),
    user("oliver.smith", "Oliver", "Smith", "oliver.smith@meridianhealth.example", None, BASIC, false, &[], &[1]),
    user("chloe.dubois", "Chloé", "Dubois", "chloe.dubois@meridianlabs.example", Some("+33142685300"), BASIC, true, &["requirements_package_viewer"], &[4]),
    user("ethan.walker", "Ethan", "Walker", "ethan.walker@meridianhealth.example", None, BASIC, true, REPORTS, &[1, 3]),
    user("zoe.andersen", "Zoë", "Andersen", "zoe.andersen@meridianhealth.example", None, ADMIN, false, ALL_ROLES, &[1, 2]),
    user("arjun.mehta", "Arjun", "Mehta", "arjun.mehta@meridianhealth.example", Some("+919812345678"), BASIC, true, &["porting"], &[2]),
    user("hannah.kowalski", "Hannah", "Kowalski", "hannah.kowalski@meridianhealth.example", None, BASIC, true, &["line_features", "ordering"], &[3]),
    user("diego.fernandez", "Diego", "Fernández", "diego.fernandez@meridianhealth.example", None, BASIC, false, &["ordering"], &[3]),
    user("grace.kim", "Grace", "Kim", "grace.kim@meridianlabs.example", Some("+82212345678"), BASIC, true, &["requirements_package_manager", "requirements_package_viewer"], &[4]),
    user("samuel.osei", "Samuel", "Osei", "samuel.osei@meridianhealth.example", None, BASIC, true, &[], &[1]),
    user("isabella.conti", "Isabella", "Conti", "isabella.conti@meridianhealth.example", None, BASIC, true, &["billing_reports"], &[1, 2]),
    user("lucas.silva", "Lucas", "Silva", "lucas.silva@meridianhealth.example", Some("+5511987654321"), BASIC, true, &["disconnect", "ordering"], &[2]),
    user("mei.lin", "Mei", "Lin", "mei.lin@meridianlabs.example", None, BASIC, true, &["reporting"], &[4]),
    user("kwame.mensah", "Kwame", "Mensah", "kwame.mensah@meridianhealth.example", None, BASIC, false, &["address_management"], &[1]),
    user("emma.johansson", "Emma", "Johansson", "emma.johansson@meridianhealth.example", None, BASIC, true, &["voice_configuration_package_management"], &[2, 3]),
    user("rafael.moreno", "Rafael", "Moreno", "rafael.moreno@meridianhealth.example", None, BASIC, true, &["configuration"], &[3]),
    user("aisha.bello", "Aisha", "Bello", "aisha.bello@meridianhealth.example", Some("+2348031234567"), BASIC, true, ORDERS, &[1]),
    user("thomas.becker", "Thomas", "Becker", "thomas.becker@meridianhealth.example", None, BASIC, true, &["disconnect", "porting"], &[2]),
    user("nora.ahmed", "Nora", "Ahmed", "nora.ahmed@meridianhealth.example", None, BASIC, true, REPORTS, &[1]),
    user("daniel.cohen", "Daniel", "Cohen", "daniel.cohen@meridianhealth.example", Some("+97235551234"), ADMIN, true, ALL_ROLES, &[1, 2, 3, 4]),
    user("julia.novak", "Julia", "Novak", "julia.novak@meridianhealth.example", None, BASIC, true, &["line_features"], &[3]),
    user("kenji.watanabe", "Kenji", "Watanabe", "kenji.watanabe@meridianlabs.example", None, BASIC, false, &["configuration"], &[4]),
    user("olivia.brown", "Olivia", "Brown", "olivia.brown@meridianhealth.example", Some("+442071234567"), BASIC, true, &["address_management", "ordering"], &[1]),
    user("ahmed.karim", "Ahmed", "Karim", "ahmed.karim@meridianhealth.example", None, BASIC, true, &["reporting"], &[2]),
    user("lena.fischer", "Lena", "Fischer", "lena.fischer@meridianlabs.example", None, BASIC, true, &["requirements_package_viewer"], &[4]),
    user("marcus.johnson", "Marcus", "Johnson", "marcus.johnson@meridianhealth.example", None, BASIC, true, &["disconnect"], &[3]),
    user("sara.lindgren", "Sara", "Lindgren", "sara.lindgren@meridianhealth.example", None, BASIC, true, &["ordering", "porting"], &[1, 2]),
    user("victor.dumont", "Victor", "Dumont", "victor.dumont@meridianhealth.example", None, BASIC, true, &["billing_reports"], &[2]),
    user("ana.petrovic", "Ana", "Petrović", "ana.petrovic@meridianhealth.example", None, BASIC, true, &["configuration", "line_features"], &[3]),
    user("ryan.obrien", "Ryan", "O'Brien", "ryan.obrien@meridianhealth.example", None, BASIC, true, &[], &[1]),
    user("Helena.Sousa", "Helena", "Sousa", "helena.sousa@meridianlabs.example", Some("+351213456789"), BASIC, true, &["reporting"], &[4]),
];
