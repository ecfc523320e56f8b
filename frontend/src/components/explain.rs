//! The matcher's explanation in words: for each better choice, why it was not given.

use crate::i18n::Lang;

/// A better choice and what it would have cost the group.
pub struct Alternative<'a> {
    /// Trainer's name.
    pub trainer: &'a str,
    /// Where the trainee ranked them.
    pub rank: u32,
    /// Whether the pair was possible at all.
    pub possible: bool,
    /// More trainees left uncoupled.
    pub more_uncoupled: u32,
    /// Growth of the group's total rank; `None` when only "worse or not" may be told (trainees).
    pub total_rank_change: Option<i64>,
    /// Growth of the worst rank in the group; `None` as above.
    pub worst_rank_change: Option<i64>,
    /// Whether the group would have fared worse.
    pub worse_for_group: bool,
}

/// One sentence per alternative.
pub fn sentence(lang: Lang, a: &Alternative<'_>) -> String {
    let (trainer, rank) = (a.trainer, a.rank);
    let worst = a.worst_rank_change.filter(|w| *w > 0);
    let total = a.total_rank_change.filter(|t| *t > 0);
    match lang {
        Lang::Nl => {
            let choice = format!("{trainer} (keuze {rank})");
            if !a.possible {
                format!("{choice} was niet mogelijk.")
            } else if a.more_uncoupled > 0 {
                format!(
                    "{choice} had {} andere aios zonder opleider gelaten.",
                    a.more_uncoupled
                )
            } else if let (Some(worst), None) = (worst, total) {
                format!(
                    "{choice} had iemand in de groep een slechtere keuze gegeven (slechtste keuze +{worst})."
                )
            } else if let Some(total) = total {
                format!("{choice} had de keuzes van de groep samen slechter gemaakt (+{total}).")
            } else if a.worse_for_group {
                format!("{choice} had de koppeling voor de groep als geheel slechter gemaakt.")
            } else {
                format!(
                    "{choice} was even goed voor de groep; de volgorde van de lijst gaf de doorslag."
                )
            }
        }
        Lang::En => {
            let choice = format!("{trainer} (choice {rank})");
            if !a.possible {
                format!("{choice} was not possible.")
            } else if a.more_uncoupled > 0 {
                format!(
                    "{choice} would have left {} more trainee(s) without a trainer.",
                    a.more_uncoupled
                )
            } else if let (Some(worst), None) = (worst, total) {
                format!(
                    "{choice} would have given someone in the group a worse choice (worst rank +{worst})."
                )
            } else if let Some(total) = total {
                format!("{choice} would have made the group's choices worse in total (+{total}).")
            } else if a.worse_for_group {
                format!("{choice} would have made the coupling worse for the group as a whole.")
            } else {
                format!("{choice} was equally good for the group; the order of the list decided.")
            }
        }
    }
}
