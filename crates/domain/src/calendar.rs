//! The round calendar: when placements start, which training years each start serves, and the
//! six-week coupling process that runs three months before.
//!
//! | start of placement | years | coupling process in |
//! |---|---|---|
//! | March | 1 and 3 | December - January |
//! | June | 3 | March - April |
//! | September | 1 and 3 | June - July |
//! | December | 3 | September - October |
//!
//! Deadlines are dates: a step is open up to and including its deadline day, Dutch time
//! (see [`dutch_date`]).

use std::fmt;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The months in which a practice placement starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartMonth {
    /// March: years 1 and 3.
    March,
    /// June: year 3.
    June,
    /// September: years 1 and 3.
    September,
    /// December: year 3.
    December,
}

impl StartMonth {
    /// Every start month, in calendar order.
    pub const ALL: [StartMonth; 4] = [
        StartMonth::March,
        StartMonth::June,
        StartMonth::September,
        StartMonth::December,
    ];

    /// The month number (1-12).
    pub fn number(self) -> u32 {
        match self {
            Self::March => 3,
            Self::June => 6,
            Self::September => 9,
            Self::December => 12,
        }
    }

    /// The start month with this number, if placements start then.
    pub fn from_number(month: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|start| start.number() == month)
    }

    /// The training years whose practice period starts in this month.
    pub fn training_years(self) -> &'static [TrainingYear] {
        match self {
            Self::March | Self::September => &[TrainingYear::One, TrainingYear::Three],
            Self::June | Self::December => &[TrainingYear::Three],
        }
    }

    /// Whether trainees of `year` start in this month.
    pub fn serves(self, year: TrainingYear) -> bool {
        self.training_years().contains(&year)
    }
}

impl fmt::Display for StartMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::March => "March",
            Self::June => "June",
            Self::September => "September",
            Self::December => "December",
        })
    }
}

/// Month names, January first, as Dutch writes them (lower case).
pub const DUTCH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Month names, January first, in English.
pub const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as people write it: `3 maart 2027`, or in English `3 March 2027`.
pub fn written_date(date: NaiveDate, dutch: bool) -> String {
    let months = if dutch { DUTCH_MONTHS } else { ENGLISH_MONTHS };
    format!(
        "{} {} {}",
        date.day(),
        months[date.month0() as usize],
        date.year()
    )
}

/// The training years spent in a GP practice, the ones a round couples for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TrainingYear {
    /// First year (in the practice).
    #[serde(rename = "1")]
    One,
    /// Third year (the last practice period).
    #[serde(rename = "3")]
    Three,
}

impl TrainingYear {
    /// 1 or 3.
    pub fn number(self) -> u8 {
        match self {
            Self::One => 1,
            Self::Three => 3,
        }
    }
}

impl fmt::Display for TrainingYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "year {}", self.number())
    }
}

/// Why a calendar value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Placements do not start in this month.
    #[error("placements start in March, June, September or December, not in month {0}")]
    NotAStartMonth(u32),
    /// The start month does not serve this training year.
    #[error("{year} trainees do not start in {month}: {month} placements are for {served} only")]
    YearNotServed {
        /// The start month.
        month: StartMonth,
        /// The year asked for.
        year: TrainingYear,
        /// What the month serves, in words.
        served: String,
    },
    /// A round must couple at least one training year.
    #[error("a round couples at least one training year")]
    NoTrainingYears,
    /// The year is out of the supported range.
    #[error("year {0} is out of range (2000-2200)")]
    YearOutOfRange(i32),
    /// No schedule was set.
    #[error("the round has no schedule")]
    NoSchedule,
    /// Deadlines are not in the order of the steps.
    #[error("{later} ({later_date}) must not be before {earlier} ({earlier_date})")]
    DeadlinesOutOfOrder {
        /// The step that should come first.
        earlier: &'static str,
        /// Its date.
        earlier_date: NaiveDate,
        /// The step that should come later.
        later: &'static str,
        /// Its date.
        later_date: NaiveDate,
    },
}

/// Which round: the placement start month and year, and the training years it couples.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoundKey {
    month: StartMonth,
    year: i32,
    training_years: Vec<TrainingYear>,
}

impl RoundKey {
    /// A round for every training year the month serves.
    pub fn new(month: StartMonth, year: i32) -> Result<Self, CalendarError> {
        Self::with_years(month, year, month.training_years())
    }

    /// A round for some of the training years the month serves; refuses the others.
    pub fn with_years(
        month: StartMonth,
        year: i32,
        training_years: &[TrainingYear],
    ) -> Result<Self, CalendarError> {
        if !(2000..=2200).contains(&year) {
            return Err(CalendarError::YearOutOfRange(year));
        }
        if training_years.is_empty() {
            return Err(CalendarError::NoTrainingYears);
        }
        if let Some(&year_asked) = training_years.iter().find(|y| !month.serves(**y)) {
            let served = month
                .training_years()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" and ");
            return Err(CalendarError::YearNotServed {
                month,
                year: year_asked,
                served,
            });
        }
        let mut years = training_years.to_vec();
        years.sort();
        years.dedup();
        Ok(Self {
            month,
            year,
            training_years: years,
        })
    }

    /// The start month.
    pub fn month(&self) -> StartMonth {
        self.month
    }

    /// The year of the placement start.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The training years coupled, ascending.
    pub fn training_years(&self) -> &[TrainingYear] {
        &self.training_years
    }

    /// The first day of the placement.
    pub fn start_date(&self) -> NaiveDate {
        first_of_month(self.year, self.month.number())
    }

    /// The default schedule of the coupling process.
    pub fn default_schedule(&self) -> Schedule {
        Schedule::for_start(self.start_date())
    }
}

/// Lengths of the steps, in days: profiles ≈ 1.5 weeks, preferences ≈ 2 weeks, interviews and
/// final ranking ≈ 2.5 weeks; together the six weeks of the process.
pub const PROFILES_DAYS: i64 = 11;
/// See [`PROFILES_DAYS`].
pub const PREFERENCES_DAYS: i64 = 14;
/// See [`PROFILES_DAYS`].
pub const INTERVIEWS_DAYS: i64 = 17;
/// The whole process.
pub const PROCESS_DAYS: i64 = PROFILES_DAYS + PREFERENCES_DAYS + INTERVIEWS_DAYS;

/// The schedule of a coupling process. A step is open from the day after the previous deadline
/// up to and including its own deadline day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Schedule {
    /// First day of the process (step 1 opens).
    pub opens: NaiveDate,
    /// Last day of step 1, profiles.
    pub profiles_deadline: NaiveDate,
    /// Last day of step 2, preferences.
    pub preferences_deadline: NaiveDate,
    /// Last day of step 3, interviews and final rankings.
    pub final_ranking_deadline: NaiveDate,
    /// First day of the placement.
    pub placement_start: NaiveDate,
}

impl Schedule {
    /// The default schedule: the process opens three months before `placement_start` and its
    /// steps take [`PROFILES_DAYS`], [`PREFERENCES_DAYS`] and [`INTERVIEWS_DAYS`].
    pub fn for_start(placement_start: NaiveDate) -> Self {
        let opens = placement_start
            .checked_sub_months(Months::new(3))
            .unwrap_or(placement_start);
        // A deadline is the last day of its step, hence the `- 1`.
        let profiles_deadline = opens + Duration::days(PROFILES_DAYS - 1);
        let preferences_deadline = profiles_deadline + Duration::days(PREFERENCES_DAYS);
        let final_ranking_deadline = preferences_deadline + Duration::days(INTERVIEWS_DAYS);
        Self {
            opens,
            profiles_deadline,
            preferences_deadline,
            final_ranking_deadline,
            placement_start,
        }
    }

    /// This schedule with coordinators' overrides; the result must keep the steps in order and
    /// end before the placement starts.
    pub fn with_overrides(
        self,
        profiles_deadline: Option<NaiveDate>,
        preferences_deadline: Option<NaiveDate>,
        final_ranking_deadline: Option<NaiveDate>,
    ) -> Result<Self, CalendarError> {
        let schedule = Self {
            profiles_deadline: profiles_deadline.unwrap_or(self.profiles_deadline),
            preferences_deadline: preferences_deadline.unwrap_or(self.preferences_deadline),
            final_ranking_deadline: final_ranking_deadline.unwrap_or(self.final_ranking_deadline),
            ..self
        };
        schedule.validate()?;
        Ok(schedule)
    }

    /// Checks that the dates follow the order of the steps.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let steps = [
            ("the opening", self.opens),
            ("the profiles deadline", self.profiles_deadline),
            ("the preferences deadline", self.preferences_deadline),
            ("the final ranking deadline", self.final_ranking_deadline),
            ("the placement start", self.placement_start),
        ];
        for pair in steps.windows(2) {
            let [(earlier, earlier_date), (later, later_date)] = pair else {
                continue;
            };
            // The placement must start after the last deadline, the others may share a day.
            let in_order = if *later == "the placement start" {
                later_date > earlier_date
            } else {
                later_date >= earlier_date
            };
            if !in_order {
                return Err(CalendarError::DeadlinesOutOfOrder {
                    earlier,
                    earlier_date: *earlier_date,
                    later,
                    later_date: *later_date,
                });
            }
        }
        Ok(())
    }

    /// Length of the process in days, from opening to the final ranking deadline inclusive.
    pub fn process_days(&self) -> i64 {
        (self.final_ranking_deadline - self.opens).num_days() + 1
    }
}

/// The first day of a month.
fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
}

/// The calendar date in the Netherlands at an instant: UTC+1, or UTC+2 in summer time (from
/// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, the EU rule).
pub fn dutch_date(now: DateTime<Utc>) -> NaiveDate {
    let year = now.year();
    let summer_starts = last_sunday(year, 3)
        .and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc());
    let summer_ends = last_sunday(year, 10)
        .and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc());
    let in_summer = matches!((summer_starts, summer_ends), (Some(start), Some(end)) if now >= start && now < end);
    let offset = if in_summer { 2 } else { 1 };
    (now + Duration::hours(offset)).date_naive()
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        first_of_month(year + 1, 1)
    } else {
        first_of_month(year, month + 1)
    };
    let last = next_month.pred_opt().unwrap_or(next_month);
    let back = last.weekday().num_days_from_sunday();
    let sunday = last - Duration::days(i64::from(back));
    debug_assert_eq!(sunday.weekday(), Weekday::Sun);
    sunday
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_seed_table_start_months_serve_their_years() {
        use TrainingYear::{One, Three};
        assert_eq!(StartMonth::March.training_years(), [One, Three]);
        assert_eq!(StartMonth::June.training_years(), [Three]);
        assert_eq!(StartMonth::September.training_years(), [One, Three]);
        assert_eq!(StartMonth::December.training_years(), [Three]);
    }

    #[test]
    fn the_seed_table_process_runs_in_the_months_it_names() {
        // (start month, year, process months as in the seed: "december - januari", ...)
        let rows = [
            (StartMonth::March, 2027, (2026, 12), (2027, 1)),
            (StartMonth::June, 2027, (2027, 3), (2027, 4)),
            (StartMonth::September, 2027, (2027, 6), (2027, 7)),
            (StartMonth::December, 2027, (2027, 9), (2027, 10)),
        ];
        for (month, year, first, last) in rows {
            let schedule = RoundKey::new(month, year).unwrap().default_schedule();
            assert_eq!(
                (schedule.opens.year(), schedule.opens.month()),
                first,
                "{month}"
            );
            let end = schedule.final_ranking_deadline;
            assert_eq!((end.year(), end.month()), last, "{month}");
            assert_eq!(schedule.process_days(), 42, "six weeks");
        }
    }

    #[test]
    fn impossible_combinations_are_refused_with_the_reason() {
        let error = RoundKey::with_years(StartMonth::June, 2027, &[TrainingYear::One]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "year 1 trainees do not start in June: June placements are for year 3 only"
        );
        let error = RoundKey::with_years(
            StartMonth::December,
            2027,
            &[TrainingYear::Three, TrainingYear::One],
        )
        .unwrap_err();
        assert!(matches!(
            error,
            CalendarError::YearNotServed {
                year: TrainingYear::One,
                ..
            }
        ));
        assert_eq!(StartMonth::from_number(4), None);
        assert_eq!(
            RoundKey::with_years(StartMonth::March, 2027, &[]),
            Err(CalendarError::NoTrainingYears)
        );
    }

    #[test]
    fn a_round_may_couple_one_of_the_years_its_month_serves() {
        let key = RoundKey::with_years(StartMonth::March, 2027, &[TrainingYear::Three]).unwrap();
        assert_eq!(key.training_years(), [TrainingYear::Three]);
        assert_eq!(key.start_date(), date(2027, 3, 1));
    }

    #[test]
    fn the_default_steps_take_one_and_a_half_two_and_two_and_a_half_weeks() {
        let schedule = Schedule::for_start(date(2027, 9, 1));
        assert_eq!(schedule.opens, date(2027, 6, 1));
        assert_eq!(schedule.profiles_deadline, date(2027, 6, 11));
        assert_eq!(schedule.preferences_deadline, date(2027, 6, 25));
        assert_eq!(schedule.final_ranking_deadline, date(2027, 7, 12));
    }

    #[test]
    fn overrides_must_keep_the_steps_in_order() {
        let schedule = Schedule::for_start(date(2027, 9, 1));
        let moved = schedule
            .with_overrides(Some(date(2027, 6, 14)), None, None)
            .unwrap();
        assert_eq!(moved.profiles_deadline, date(2027, 6, 14));
        let error = schedule
            .with_overrides(None, Some(date(2027, 6, 5)), None)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the preferences deadline (2027-06-05) must not be before the profiles deadline (2027-06-11)"
        );
        assert!(
            schedule
                .with_overrides(None, None, Some(date(2027, 9, 1)))
                .is_err()
        );
    }

    #[test]
    fn dutch_dates_follow_summer_time() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Winter: 23:30 UTC is 00:30 the next day in Amsterdam.
        assert_eq!(dutch_date(at("2027-01-10T23:30:00Z")), date(2027, 1, 11));
        assert_eq!(dutch_date(at("2027-01-10T22:59:00Z")), date(2027, 1, 10));
        // Summer: 22:30 UTC is 00:30 the next day.
        assert_eq!(dutch_date(at("2027-07-10T22:30:00Z")), date(2027, 7, 11));
        assert_eq!(dutch_date(at("2027-07-10T21:59:00Z")), date(2027, 7, 10));
        // Summer time 2027 starts on 28 March at 01:00 UTC.
        assert_eq!(last_sunday(2027, 3), date(2027, 3, 28));
        assert_eq!(last_sunday(2027, 10), date(2027, 10, 31));
    }

    fn any_round() -> impl Strategy<Value = RoundKey> {
        (
            prop::sample::select(StartMonth::ALL.to_vec()),
            2000i32..2200,
        )
            .prop_map(|(month, year)| RoundKey::new(month, year).unwrap())
    }

    proptest! {
        #[test]
        fn default_schedules_are_ordered_six_weeks_opening_three_months_before(round in any_round()) {
            let schedule = round.default_schedule();
            prop_assert!(schedule.validate().is_ok());
            prop_assert_eq!(schedule.process_days(), 42);
            prop_assert_eq!(schedule.opens.checked_add_months(Months::new(3)), Some(round.start_date()));
            prop_assert!(schedule.final_ranking_deadline < schedule.placement_start);
        }

        #[test]
        fn overrides_are_accepted_exactly_when_ordered(
            round in any_round(),
            shifts in proptest::array::uniform3(-20i64..20),
        ) {
            let base = round.default_schedule();
            let [a, b, c] = shifts;
            let result = base.with_overrides(
                Some(base.profiles_deadline + Duration::days(a)),
                Some(base.preferences_deadline + Duration::days(b)),
                Some(base.final_ranking_deadline + Duration::days(c)),
            );
            match result {
                Ok(schedule) => {
                    prop_assert!(schedule.opens <= schedule.profiles_deadline);
                    prop_assert!(schedule.profiles_deadline <= schedule.preferences_deadline);
                    prop_assert!(schedule.preferences_deadline <= schedule.final_ranking_deadline);
                    prop_assert!(schedule.final_ranking_deadline < schedule.placement_start);
                }
                Err(CalendarError::DeadlinesOutOfOrder { earlier_date, later_date, .. }) => {
                    prop_assert!(later_date <= earlier_date);
                }
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
