//! The median and range of a figure over repeated runs.

use serde_json::{Value, json};

/// Median, minimum and maximum of one figure over the runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Spread {
    /// Returns the spread of `values`, or `None` when there are none. The median of an even
    /// count is the mean of the middle two.
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted.get(middle.checked_sub(1)?)? + sorted.get(middle)?) / 2.0
        };
        Some(Spread {
            median,
            min: *sorted.first()?,
            max: *sorted.last()?,
        })
    }

    pub fn to_json(self) -> Value {
        json!({ "median": self.median, "min": self.min, "max": self.max })
    }

    /// Formats the median with `decimals`, and the range after it when the runs differ,
    /// such as `4.2 (3.9–4.8)`.
    pub fn display(self, decimals: usize) -> String {
        let median = format!("{:.decimals$}", self.median);
        let min = format!("{:.decimals$}", self.min);
        let max = format!("{:.decimals$}", self.max);
        if min == max {
            median
        } else {
            format!("{median} ({min}–{max})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let odd = Spread::of(&[3.0, 1.0, 2.0]).expect("three values");
        assert_eq!(
            odd,
            Spread {
                median: 2.0,
                min: 1.0,
                max: 3.0
            },
            "odd count"
        );
        let even = Spread::of(&[4.0, 1.0, 2.0, 3.0]).expect("four values");
        assert_eq!(even.median, 2.5, "mean of the middle two");
        assert_eq!(Spread::of(&[]), None, "no values, no spread");
    }

    #[test]
    fn display_shows_range_only_when_runs_differ() {
        let same = Spread {
            median: 1.0,
            min: 1.0,
            max: 1.0,
        };
        assert_eq!(same.display(1), "1.0", "one value");
        let spread = Spread {
            median: 4.24,
            min: 3.9,
            max: 4.81,
        };
        assert_eq!(spread.display(1), "4.2 (3.9–4.8)", "median and range");
    }
}
