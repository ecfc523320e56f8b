//! What published statistics may show: counts of fewer than five people are suppressed, so that
//! nobody can be recognised in them, and a distribution never leaves one suppressed cell that its
//! total would give away.

/// The smallest group a published count may describe.
pub const MIN_GROUP: u32 = 5;

/// A count as published: the count, or `None` when it describes 1 to 4 people. Zero identifies
/// nobody and is shown.
#[must_use]
pub fn published(count: u32) -> Option<u32> {
    (count == 0 || count >= MIN_GROUP).then_some(count)
}

/// The cells of a distribution whose total is published, as published: each count of 1 to 4 is
/// suppressed; then, as long as the suppressed cells could be worked out from the total (one
/// alone, or several adding up to fewer than five, each then 1 or so), the smallest other non-zero
/// cell is suppressed too.
#[must_use]
pub fn published_distribution(counts: &[u32]) -> Vec<Option<u32>> {
    let mut cells: Vec<Option<u32>> = counts.iter().map(|&count| published(count)).collect();
    loop {
        let hidden: Vec<u32> = counts
            .iter()
            .zip(&cells)
            .filter(|(_, cell)| cell.is_none())
            .map(|(&count, _)| count)
            .collect();
        let hidden_sum: u32 = hidden.iter().sum();
        if hidden.is_empty() || (hidden.len() > 1 && hidden_sum >= MIN_GROUP) {
            return cells;
        }
        let smallest = cells
            .iter()
            .enumerate()
            .filter_map(|(index, cell)| cell.filter(|&count| count > 0).map(|count| (count, index)))
            .min();
        match smallest.and_then(|(_, index)| cells.get_mut(index)) {
            Some(cell) => *cell = None,
            None => return cells,
        }
    }
}

/// A distribution of the ranks people gave their partners, as published: as
/// [`published_distribution`], and wholly suppressed when one rank holds everyone or everyone but
/// one to four, since each partner would then (almost) know how they were ranked.
#[must_use]
pub fn published_ranks(counts: &[u32]) -> Vec<Option<u32>> {
    let total: u32 = counts.iter().sum();
    let largest = counts.iter().copied().max().unwrap_or(0);
    if total > 0 && total - largest < MIN_GROUP {
        return vec![None; counts.len()];
    }
    published_distribution(counts)
}

/// The published cells of a distribution that adds up to a count, given whether that count is
/// shown: all hidden when it is not, or their sum would show it.
#[must_use]
pub fn published_under(total_shown: bool, cells: Vec<Option<u32>>) -> Vec<Option<u32>> {
    if total_shown {
        cells
    } else {
        vec![None; cells.len()]
    }
}

/// A share (0 to 1) of `part` in `whole`, published only when both counts are: `None` when either
/// is suppressed or the whole is zero.
#[must_use]
pub fn published_share(part: u32, whole: u32) -> Option<f64> {
    match (published(part), published(whole)) {
        (Some(part), Some(whole)) if whole > 0 => Some(f64::from(part) / f64::from(whole)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_one_to_four_are_suppressed() {
        assert_eq!(published(0), Some(0));
        for count in 1..MIN_GROUP {
            assert_eq!(published(count), None, "{count}");
        }
        assert_eq!(published(5), Some(5));
        assert_eq!(published(393), Some(393));
    }

    #[test]
    fn a_lone_suppressed_cell_takes_the_next_smallest_with_it() {
        // 3 alone would follow from the total 43 minus 40.
        assert_eq!(
            published_distribution(&[20, 3, 12, 8]),
            vec![Some(20), None, Some(12), None]
        );
        // Two suppressed cells already hide each other.
        assert_eq!(
            published_distribution(&[20, 3, 2, 8]),
            vec![Some(20), None, None, Some(8)]
        );
        // Zeros are shown and never chosen as the second cell.
        assert_eq!(
            published_distribution(&[0, 4, 0, 9]),
            vec![Some(0), None, Some(0), None]
        );
        assert_eq!(
            published_distribution(&[7, 0, 5]),
            vec![Some(7), Some(0), Some(5)]
        );
        // Nothing else to take: the one cell stays suppressed.
        assert_eq!(published_distribution(&[0, 1]), vec![Some(0), None]);
        // Two hidden cells adding up to 2 would each be 1: the next smallest goes too.
        assert_eq!(
            published_distribution(&[20, 1, 1, 8]),
            vec![Some(20), None, None, None]
        );
    }

    #[test]
    fn ranks_are_hidden_when_nearly_everyone_shares_one() {
        // Every trainer would learn they were their trainee's first choice.
        assert_eq!(published_ranks(&[5, 0, 0, 0]), vec![None; 4]);
        assert_eq!(published_ranks(&[12, 3, 0, 0]), vec![None; 4]);
        assert_eq!(
            published_ranks(&[7, 5, 0, 0]),
            vec![Some(7), Some(5), Some(0), Some(0)]
        );
        assert_eq!(published_ranks(&[0, 0]), vec![Some(0), Some(0)]);
    }

    #[test]
    fn the_parts_of_a_hidden_count_hide_with_it() {
        let cells = published_distribution(&[6, 5, 0]);
        assert_eq!(published_under(true, cells.clone()), cells);
        assert_eq!(published_under(false, cells), vec![None; 3]);
    }

    #[test]
    fn a_share_needs_both_counts_published() {
        assert_eq!(published_share(10, 20), Some(0.5));
        assert_eq!(published_share(3, 20), None);
        assert_eq!(published_share(0, 0), None);
        assert_eq!(published_share(0, 12), Some(0.0));
    }
}
