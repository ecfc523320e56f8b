//! A small bar chart (SVG) of a rank distribution, with the numbers as text for screen readers.

use yew::prelude::*;

/// Properties of [`RankChart`].
#[derive(Properties, PartialEq)]
pub struct RankChartProps {
    /// Title (also the chart's accessible name).
    pub title: AttrValue,
    /// `values[i]`: how many got rank `i + 1`.
    pub values: Vec<u32>,
    /// Label before the rank number (`rank`/`keuze`).
    pub rank_label: AttrValue,
    /// `hidden[i]`: rank `i + 1`'s count is suppressed (fewer than five): no bar, "<5".
    #[prop_or_default]
    pub hidden: Vec<bool>,
}

/// A bar's number, or "<5" when hidden.
fn shown(props: &RankChartProps, index: usize, value: u32) -> String {
    if props.hidden.get(index).copied().unwrap_or(false) {
        "<5".to_owned()
    } else {
        value.to_string()
    }
}

/// Bars per rank.
#[component]
pub fn RankChart(props: &RankChartProps) -> Html {
    let max = props.values.iter().copied().max().unwrap_or(0).max(1);
    let bar = 28;
    let gap = 8;
    let height = 90;
    // Room above the tallest bar for its number.
    let top = 16;
    let width = (bar + gap) * props.values.len().max(1) as u32;
    let summary: Vec<String> = props
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{} {}: {}", props.rank_label, i + 1, shown(props, i, *v)))
        .collect();
    html! {
        <figure class="chart">
            <figcaption>{ props.title.clone() }</figcaption>
            <svg role="img" aria-label={format!("{}: {}", props.title, summary.join(", "))}
                viewBox={format!("0 0 {width} {}", top + height + 20)} width={width.to_string()} height={(top + height + 20).to_string()}>
                { for props.values.iter().enumerate().map(|(i, v)| {
                    let h = v * height / max;
                    let x = i as u32 * (bar + gap);
                    html! {
                        <g>
                            <rect x={x.to_string()} y={(top + height - h).to_string()} width={bar.to_string()} height={h.to_string()} class="bar" />
                            <text x={(x + bar / 2).to_string()} y={(top + height + 14).to_string()} text-anchor="middle">{ (i + 1).to_string() }</text>
                            <text x={(x + bar / 2).to_string()} y={(top + height - h - 4).to_string()} text-anchor="middle" class="bar-value">{ shown(props, i, *v) }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}
