//! Word lists of the generated seed: first and last names from many countries, and the
//! parts of account names.

/// First names. Together with [`LAST_NAMES`] they give 18,000 distinct full names.
#[rustfmt::skip]
pub const FIRST_NAMES: [&str; 120] = [
    "Aaliyah", "Abdul", "Adaeze", "Adam", "Adrián", "Agnieszka", "Ahmed", "Aiko", "Aisha", "Alejandro",
    "Alice", "Amara", "Amelia", "Ana", "Andrea", "Anh", "Anna", "Antoine", "Arjun", "Astrid",
    "Ayumi", "Beatriz", "Benjamin", "Bilal", "Bo", "Camille", "Carlos", "Catalina", "Chen", "Chloe",
    "Chukwuma", "Daniel", "David", "Deepika", "Diego", "Dmitri", "Elena", "Elif", "Emeka", "Emily",
    "Emma", "Erik", "Esther", "Fatima", "Felipe", "Fernanda", "Finn", "François", "Freya", "Gabriel",
    "Grace", "Hana", "Hannah", "Hassan", "Henrik", "Hiroshi", "Ibrahim", "Ingrid", "Isabel", "Ivan",
    "Jack", "Jakub", "James", "Jana", "Javier", "Ji-woo", "Jin", "João", "Jonas", "Julia",
    "Kai", "Karim", "Kateřina", "Kavya", "Kenji", "Kwame", "Laila", "Lars", "Laura", "Leila",
    "Liam", "Lucas", "Lucía", "Luis", "Maja", "Malik", "María", "Marta", "Mateo", "Mei",
    "Mohammed", "Nadia", "Naledi", "Nikolai", "Noah", "Nour", "Oliver", "Olivia", "Omar", "Oskar",
    "Pablo", "Priya", "Rafael", "Rahul", "Rania", "Ravi", "Rosa", "Samuel", "Sara", "Siobhán",
    "Sofia", "Søren", "Tariq", "Thomas", "Valentina", "Wei", "Yara", "Yusuf", "Zainab", "Zoë",
];

/// Last names, among them two-letter ones such as Li and Ng, and names with spaces,
/// apostrophes and accents.
#[rustfmt::skip]
pub const LAST_NAMES: [&str; 150] = [
    "Abe", "Acheampong", "Adeyemi", "Ahmadi", "Akhtar", "Al-Farsi", "Almeida", "Andersen", "Andersson", "Ansah",
    "Bakker", "Banerjee", "Barros", "Becker", "Bernard", "Bianchi", "Błaszczyk", "Brown", "Bui", "Campbell",
    "Castillo", "Chakraborty", "Chen", "Cohen", "Costa", "Cruz", "Da Silva", "Das", "de Vries", "Dimitrov",
    "Do", "Dubois", "Dvořák", "Eriksen", "Esposito", "Fernández", "Ferreira", "Fischer", "Fontaine", "García",
    "Gomez", "González", "Gupta", "Haddad", "Hansen", "Hassan", "Hernández", "Hoang", "Horváth", "Huang",
    "Ibrahim", "Ito", "Ivanova", "Jackson", "Jansen", "Jensen", "Johansson", "Johnson", "Jones", "Kaur",
    "Khan", "Kim", "Kovačević", "Kowalski", "Kumar", "Lambert", "Larsen", "Le", "Lee", "Li",
    "Lim", "Lindqvist", "López", "Lund", "Ma", "Mahlangu", "Martin", "Martínez", "Mehta", "Mensah",
    "Meyer", "Miller", "Moreau", "Morales", "Müller", "Murphy", "Nakamura", "Nguyen", "Ng", "Nielsen",
    "Novak", "Nowak", "O'Brien", "O'Connor", "Okafor", "Okonkwo", "Olsen", "Ortiz", "Owusu", "Park",
    "Patel", "Pereira", "Petrov", "Pham", "Popescu", "Quispe", "Ramírez", "Rao", "Reyes", "Ricci",
    "Rodríguez", "Romano", "Rossi", "Sánchez", "Santos", "Sato", "Schmidt", "Schneider", "Shah", "Silva",
    "Singh", "Smith", "Sørensen", "Suzuki", "Svensson", "Takahashi", "Tanaka", "Taylor", "Thomas", "Tran",
    "Van der Berg", "Vargas", "Virtanen", "Wagner", "Walker", "Wang", "Watanabe", "Weber", "White", "Williams",
    "Wilson", "Wójcik", "Wong", "Wu", "Xu", "Yamamoto", "Yang", "Yılmaz", "Zhang", "Zhou",
];

/// Organisations of the generated accounts.
pub const ACCOUNT_ORGANISATIONS: [&str; 4] = [
    "Meridian Health Partners",
    "Meridian Labs",
    "Meridian Home Care",
    "Meridian Dental",
];

/// Places of the generated accounts.
#[rustfmt::skip]
pub const ACCOUNT_PLACES: [&str; 24] = [
    "Northgate", "Riverside", "Harbour View", "Eastfield", "Westbrook", "Hillcrest", "Oakwood",
    "Lakeside", "Kingsway", "Southport", "Millbrook", "Fairview", "Bridgewater", "Stonebridge",
    "Greenhill", "Ashford", "Clearwater", "Maple Grove", "Redcliff", "Elmstead", "Brookside",
    "Parkside", "Silverdale", "Old Town",
];

/// Kinds of site of the generated accounts.
pub const ACCOUNT_SITES: [&str; 8] = [
    "Clinic",
    "Pharmacy",
    "Laboratory",
    "Contact Centre",
    "Office",
    "Imaging Centre",
    "Urgent Care",
    "Warehouse",
];

/// Email domains of the generated users, one per organisation in [`ACCOUNT_ORGANISATIONS`].
pub const EMAIL_DOMAINS: [&str; 4] = [
    "meridianhealth.example",
    "meridianlabs.example",
    "meridianhomecare.example",
    "meridiandental.example",
];

/// Returns `name` as a username part: lower-case ASCII letters, accents and strokes
/// removed, and any other character left out, such as spaces, hyphens and apostrophes.
pub fn ascii_name(name: &str) -> String {
    let mut ascii = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        match c {
            'a'..='z' => ascii.push(c),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => ascii.push('a'),
            'ć' | 'č' | 'ç' => ascii.push('c'),
            'é' | 'è' | 'ê' | 'ë' | 'ě' | 'ę' => ascii.push('e'),
            'í' | 'ì' | 'î' | 'ï' | 'ı' => ascii.push('i'),
            'ł' => ascii.push('l'),
            'ñ' | 'ń' => ascii.push('n'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ő' => ascii.push('o'),
            'ř' => ascii.push('r'),
            'ś' | 'š' | 'ş' => ascii.push('s'),
            'ú' | 'ù' | 'û' | 'ü' | 'ů' | 'ű' => ascii.push('u'),
            'ý' => ascii.push('y'),
            'ź' | 'ż' | 'ž' => ascii.push('z'),
            _ => {}
        }
    }
    ascii
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_name_drops_accents_and_punctuation() {
        let cases = [
            ("Müller", "muller"),
            ("O'Brien", "obrien"),
            ("Van der Berg", "vanderberg"),
            ("Ji-woo", "jiwoo"),
            ("Błaszczyk", "blaszczyk"),
            ("Yılmaz", "yilmaz"),
        ];
        for (name, expected) in cases {
            assert_eq!(ascii_name(name), expected, "{name}");
        }
    }

    #[test]
    fn every_name_has_ascii_letters_for_usernames() {
        for name in FIRST_NAMES.iter().chain(&LAST_NAMES) {
            let ascii = ascii_name(name);
            let letters = name.chars().filter(|c| c.is_alphabetic()).count();
            assert_eq!(
                ascii.len(),
                letters,
                "{name} keeps a letter for each of its letters, got {ascii}"
            );
        }
    }

    #[test]
    fn ascii_names_are_unique_in_each_list() {
        for list in [&FIRST_NAMES[..], &LAST_NAMES[..]] {
            let mut ascii: Vec<String> = list.iter().map(|name| ascii_name(name)).collect();
            ascii.sort();
            let count = ascii.len();
            ascii.dedup();
            assert_eq!(ascii.len(), count, "two names share a username part");
        }
    }
}
