//! A trainee's curriculum: which training year they are in, when their year-3 practice period
//! starts, and who is due for a round.
//!
//! Rule: the year-3 practice period starts after 24 months of *effective* training. Part-time
//! training (factor 0.8 = four days a week) stretches the calendar time by `1 / factor`; recorded
//! leave and extension days are added on top. The date is then rounded up to the next placement
//! start (1 March, June, September or December), because placements start only then.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{RoundKey, StartMonth, TrainingYear};

/// Average days per month (365.25 / 12), for the fractional part of stretched durations.
const DAYS_PER_MONTH: f64 = 30.4375;

/// Why curriculum data was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CurriculumError {
    /// The part-time factor is outside 0.5-1.0.
    #[error("the part-time factor must be between 0.5 and 1.0, got {0}")]
    PartTimeFactorOutOfRange(f64),
    /// Too many leave days to be plausible.
    #[error("leave and extension days must be at most 1000, got {0}")]
    TooManyLeaveDays(u32),
}

/// Share of a full-time week someone trains: 0.5 to 1.0.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct PartTimeFactor(f64);

impl PartTimeFactor {
    /// Full time.
    pub const FULL_TIME: Self = Self(1.0);

    /// Parses a factor; GP training can be followed at half time or more.
    pub fn parse(value: f64) -> Result<Self, CurriculumError> {
        if value.is_finite() && (0.5..=1.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(CurriculumError::PartTimeFactorOutOfRange(value))
        }
    }

    /// The factor.
    pub fn value(self) -> f64 {
        self.0
    }
}

/// Where a trainee stands in the three-year training at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "year")]
pub enum TrainingStatus {
    /// The training has not started yet.
    NotStarted,
    /// In training year 1, 2 or 3.
    InYear(u8),
    /// 36 effective months done.
    Finished,
}

/// A trainee's curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Curriculum {
    start: NaiveDate,
    factor: PartTimeFactor,
    extension_days: u32,
}

impl Curriculum {
    /// A curriculum from the training start date, part-time factor and leave/extension days.
    pub fn new(
        start: NaiveDate,
        factor: PartTimeFactor,
        extension_days: u32,
    ) -> Result<Self, CurriculumError> {
        if extension_days > 1000 {
            return Err(CurriculumError::TooManyLeaveDays(extension_days));
        }
        Ok(Self {
            start,
            factor,
            extension_days,
        })
    }

    /// The training start date (the year-1 practice period starts then).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Effective months of training done on `date`.
    pub fn effective_months_at(&self, date: NaiveDate) -> f64 {
        let days = (date - self.start).num_days() - i64::from(self.extension_days);
        if days <= 0 {
            return 0.0;
        }
        days as f64 / DAYS_PER_MONTH * self.factor.value()
    }

    /// The training year on `date`.
    pub fn status_at(&self, date: NaiveDate) -> TrainingStatus {
        if date < self.start {
            return TrainingStatus::NotStarted;
        }
        let months = self.effective_months_at(date);
        if months >= 36.0 {
            TrainingStatus::Finished
        } else {
            // Whole years done, plus one: 0-11.99 months is year 1.
            TrainingStatus::InYear((months / 12.0).floor() as u8 + 1)
        }
    }

    /// The first day of the year-3 practice period.
    pub fn year3_start(&self) -> NaiveDate {
        let reached = self
            .after_effective_months(self.start, 24.0)
            .checked_add_signed(Duration::days(i64::from(self.extension_days)))
            .unwrap_or(NaiveDate::MAX);
        next_placement_start(reached)
    }

    /// The planned last day of a practice year (year 1 or year 3) that starts on `starts_on`:
    /// twelve months of training at this part-time factor, so 15 calendar months at 0.8.
    pub fn planned_end(&self, starts_on: NaiveDate) -> NaiveDate {
        self.after_effective_months(starts_on, 12.0)
            .pred_opt()
            .unwrap_or(starts_on)
    }

    /// The day on which `months` of training at this part-time factor, begun on `from`, are done.
    fn after_effective_months(&self, from: NaiveDate, months: f64) -> NaiveDate {
        // Rounded to a millionth so that 24 / 0.8 is 30 months, not 29.999...
        let calendar_months = (months / self.factor.value() * 1e6).round() / 1e6;
        let whole = calendar_months.floor();
        let extra_days = ((calendar_months - whole) * DAYS_PER_MONTH).ceil() as i64;
        from.checked_add_months(Months::new(whole as u32))
            .map(|date| date + Duration::days(extra_days))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The training year this trainee is due for in `round`, if any.
    pub fn due_for(&self, round: &RoundKey) -> Option<TrainingYear> {
        let start = round.start_date();
        let serves = |year| round.training_years().contains(&year);
        if serves(TrainingYear::One)
            && (self.start.year(), self.start.month()) == (start.year(), start.month())
        {
            Some(TrainingYear::One)
        } else if serves(TrainingYear::Three) && self.year3_start() == start {
            Some(TrainingYear::Three)
        } else {
            None
        }
    }
}

/// The first placement start (1 March, June, September or December) on or after `date`.
pub fn next_placement_start(date: NaiveDate) -> NaiveDate {
    let mut candidate = date.with_day(1).unwrap_or(date);
    if candidate < date {
        candidate = candidate
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    while StartMonth::from_number(candidate.month()).is_none() {
        candidate = candidate
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    candidate
}

/// The trainees due for `round`, with the year they are due for, in the order given.
pub fn due_trainees<'a, Id: Clone + 'a>(
    trainees: impl IntoIterator<Item = (&'a Id, &'a Curriculum)>,
    round: &RoundKey,
) -> Vec<(Id, TrainingYear)> {
    trainees
        .into_iter()
        .filter_map(|(id, curriculum)| curriculum.due_for(round).map(|year| (id.clone(), year)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn curriculum(start: NaiveDate, factor: f64, leave: u32) -> Curriculum {
        Curriculum::new(start, PartTimeFactor::parse(factor).unwrap(), leave).unwrap()
    }

    #[test]
    fn full_time_year_3_starts_two_years_after_the_start() {
        let c = curriculum(date(2025, 9, 1), 1.0, 0);
        assert_eq!(c.year3_start(), date(2027, 9, 1));
        assert_eq!(c.status_at(date(2025, 9, 1)), TrainingStatus::InYear(1));
        assert_eq!(c.status_at(date(2026, 9, 15)), TrainingStatus::InYear(2));
        assert_eq!(c.status_at(date(2027, 9, 15)), TrainingStatus::InYear(3));
        assert_eq!(c.status_at(date(2028, 9, 15)), TrainingStatus::Finished);
        assert_eq!(c.status_at(date(2025, 8, 31)), TrainingStatus::NotStarted);
    }

    #[test]
    fn a_practice_year_ends_after_twelve_months_of_training() {
        assert_eq!(
            curriculum(date(2027, 3, 1), 1.0, 0).planned_end(date(2027, 3, 1)),
            date(2028, 2, 29)
        );
        assert_eq!(
            curriculum(date(2027, 3, 1), 0.8, 0).planned_end(date(2029, 9, 1)),
            date(2030, 11, 30)
        );
        assert_eq!(
            curriculum(date(2027, 3, 1), 0.5, 0).planned_end(date(2027, 3, 1)),
            date(2029, 2, 28)
        );
    }

    #[test]
    fn part_time_stretches_the_calendar() {
        // 24 months at 0.8 take 30 calendar months: March 2025 + 30 months = September 2027.
        assert_eq!(
            curriculum(date(2025, 3, 1), 0.8, 0).year3_start(),
            date(2027, 9, 1)
        );
        // At 0.9: 26.67 months, reached mid-May 2027, so the June 2027 placement.
        assert_eq!(
            curriculum(date(2025, 3, 1), 0.9, 0).year3_start(),
            date(2027, 6, 1)
        );
    }

    #[test]
    fn leave_days_postpone_to_the_next_placement_start() {
        // 10 days of leave push 1 Sept 2027 to 11 Sept, so the December placement.
        assert_eq!(
            curriculum(date(2025, 9, 1), 1.0, 10).year3_start(),
            date(2027, 12, 1)
        );
    }

    #[test]
    fn the_next_placement_start_rounds_up_to_a_quarter_month() {
        assert_eq!(next_placement_start(date(2027, 3, 1)), date(2027, 3, 1));
        assert_eq!(next_placement_start(date(2027, 3, 2)), date(2027, 6, 1));
        assert_eq!(next_placement_start(date(2027, 12, 5)), date(2028, 3, 1));
        assert_eq!(next_placement_start(date(2027, 1, 20)), date(2027, 3, 1));
    }

    #[test]
    fn the_a_team_sees_who_is_due_for_which_year() {
        let trainees = [
            ("new in september", curriculum(date(2027, 9, 1), 1.0, 0)),
            ("year 3 in september", curriculum(date(2025, 9, 1), 1.0, 0)),
            (
                "part-time, year 3 in september",
                curriculum(date(2025, 3, 1), 0.8, 0),
            ),
            (
                "extended to december",
                curriculum(date(2025, 9, 1), 1.0, 10),
            ),
            ("new in march", curriculum(date(2027, 3, 1), 1.0, 0)),
        ];
        let september = RoundKey::new(StartMonth::September, 2027).unwrap();
        let due = due_trainees(trainees.iter().map(|(name, c)| (name, c)), &september);
        assert_eq!(
            due,
            [
                ("new in september", TrainingYear::One),
                ("year 3 in september", TrainingYear::Three),
                ("part-time, year 3 in september", TrainingYear::Three),
            ]
        );
        let december = RoundKey::new(StartMonth::December, 2027).unwrap();
        let due = due_trainees(trainees.iter().map(|(name, c)| (name, c)), &december);
        assert_eq!(due, [("extended to december", TrainingYear::Three)]);
    }

    #[test]
    fn implausible_curriculum_values_are_refused() {
        assert!(PartTimeFactor::parse(0.4).is_err());
        assert!(PartTimeFactor::parse(1.2).is_err());
        assert!(PartTimeFactor::parse(f64::NAN).is_err());
        assert!(Curriculum::new(date(2025, 9, 1), PartTimeFactor::FULL_TIME, 1001).is_err());
    }
}
