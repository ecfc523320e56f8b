//! The one module that speaks to the LP/MIP solver (good_lp with HiGHS).
//!
//! Models elsewhere in the crate describe a [`Program`] in their own words: variables with bounds,
//! labelled constraint rows and a linear objective. [`solve`] hands it to the backend. Another
//! backend (`coin_cbc`, `microlp`) or a network-flow algorithm can be added here without touching
//! the models.

use std::time::{Duration, Instant};

use good_lp::solvers::highs::{HighsSolverType, highs};
use good_lp::{
    Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable, variable,
};

/// Name of the backend, as reported in outputs.
pub const BACKEND: &str = "highs";

/// Time limit of a whole computation (a coupling with its explanations, an interview proposal)
/// when the caller sets none.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(60);

/// When a computation must stop: every solver call gets the time that is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// A deadline `limit` from now.
    pub fn after(limit: Duration) -> Self {
        let now = Instant::now();
        Self {
            at: now.checked_add(limit).unwrap_or(now + DEFAULT_TIME_LIMIT),
            limit,
        }
    }

    /// The whole time allowed.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// Time left (zero once passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// Whether no time is left.
    pub fn passed(&self) -> bool {
        self.remaining().is_zero()
    }

    fn error(&self) -> SolveError {
        SolveError::TimeLimit {
            seconds: self.limit.as_secs_f64(),
        }
    }
}

/// A variable of a program.
#[derive(Debug, Clone, Copy)]
pub struct VariableSpec {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Whether it must take an integer value.
    pub integer: bool,
}

/// Index of a variable in its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(usize);

/// A labelled constraint `lower <= sum(coefficient * variable) <= upper`.
#[derive(Debug, Clone)]
pub struct Row {
    /// The constraint family and member, e.g. `trainee_once[a7]`, for diagnostics.
    pub label: String,
    /// Terms.
    pub terms: Vec<(Var, f64)>,
    /// Lower bound (may be `f64::NEG_INFINITY`).
    pub lower: f64,
    /// Upper bound (may be `f64::INFINITY`).
    pub upper: f64,
}

/// Whether the objective is maximised or minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Maximise.
    Maximise,
    /// Minimise.
    Minimise,
}

/// A linear (or mixed-integer) program.
#[derive(Debug, Clone)]
pub struct Program {
    variables: Vec<VariableSpec>,
    rows: Vec<Row>,
    objective: Vec<(Var, f64)>,
    sense: Sense,
    interior_point: bool,
}

/// Why a program could not be solved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    /// No assignment satisfies every constraint.
    #[error("the model is infeasible")]
    Infeasible,
    /// The objective is unbounded.
    #[error("the model is unbounded")]
    Unbounded,
    /// The time limit was reached before an optimum was proven; nothing is reported as optimal.
    #[error(
        "the solver reached its time limit of {seconds} s before proving an optimum; try a smaller instance or a longer limit"
    )]
    TimeLimit {
        /// The limit in seconds.
        seconds: f64,
    },
    /// The backend failed.
    #[error("the solver failed: {0}")]
    Backend(String),
}

/// Values of the variables at the optimum.
#[derive(Debug, Clone)]
pub struct Solved {
    values: Vec<f64>,
    /// Seconds spent in the backend.
    pub seconds: f64,
}

impl Solved {
    /// The value of a variable.
    pub fn value(&self, var: Var) -> f64 {
        self.values.get(var.0).copied().unwrap_or(0.0)
    }

    /// Whether a 0/1 variable is set.
    pub fn is_set(&self, var: Var) -> bool {
        self.value(var) > 0.5
    }

    /// Whether every integer-bounded variable ended within `1e-6` of an integer.
    pub fn is_integral(&self, vars: impl IntoIterator<Item = Var>) -> bool {
        vars.into_iter().all(|var| {
            let value = self.value(var);
            (value - value.round()).abs() < 1e-6
        })
    }
}

impl Program {
    /// An empty program.
    pub fn new(sense: Sense) -> Self {
        Self {
            variables: Vec::new(),
            rows: Vec::new(),
            objective: Vec::new(),
            sense,
            interior_point: false,
        }
    }

    /// Adds a variable with an objective coefficient.
    pub fn add_variable(&mut self, spec: VariableSpec, objective: f64) -> Var {
        let var = Var(self.variables.len());
        self.variables.push(spec);
        if objective != 0.0 {
            self.objective.push((var, objective));
        }
        var
    }

    /// A continuous variable in `[0, upper]`.
    pub fn add_continuous(&mut self, upper: f64, objective: f64) -> Var {
        self.add_variable(
            VariableSpec {
                lower: 0.0,
                upper,
                integer: false,
            },
            objective,
        )
    }

    /// A binary variable.
    pub fn add_binary(&mut self, objective: f64) -> Var {
        self.add_variable(
            VariableSpec {
                lower: 0.0,
                upper: 1.0,
                integer: true,
            },
            objective,
        )
    }

    /// Adds a labelled constraint row.
    pub fn add_row(
        &mut self,
        label: impl Into<String>,
        terms: Vec<(Var, f64)>,
        lower: f64,
        upper: f64,
    ) {
        self.rows.push(Row {
            label: label.into(),
            terms,
            lower,
            upper,
        });
    }

    /// Changes a variable's bounds (to force or forbid it in a re-solve).
    pub fn set_bounds(&mut self, var: Var, lower: f64, upper: f64) {
        if let Some(spec) = self.variables.get_mut(var.0) {
            spec.lower = lower;
            spec.upper = upper;
        }
    }

    /// Solves the LP by interior point with crossover instead of simplex. Much faster on large,
    /// highly degenerate assignment LPs; crossover still ends at a vertex.
    pub fn use_interior_point(&mut self) {
        self.interior_point = true;
    }

    /// Requires a variable to take an integer value.
    pub fn set_integer(&mut self, var: Var) {
        if let Some(spec) = self.variables.get_mut(var.0) {
            spec.integer = true;
        }
    }

    /// Makes every variable continuous (the LP relaxation).
    pub fn relaxed(&self) -> Self {
        let mut relaxed = self.clone();
        for spec in &mut relaxed.variables {
            spec.integer = false;
        }
        relaxed
    }

    /// The labelled rows, for diagnostics.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Number of variables.
    pub fn variable_count(&self) -> usize {
        self.variables.len()
    }
}

/// Solves a program to proven optimality with the backend, within the time left before
/// `deadline`. A solve that stops at the limit is an error ([`SolveError::TimeLimit`]), never a
/// result.
pub fn solve(program: &Program, deadline: Deadline) -> Result<Solved, SolveError> {
    let started = Instant::now();
    if deadline.passed() {
        return Err(deadline.error());
    }
    if program.variables.is_empty() {
        // HiGHS refuses a model without columns ("ModelEmpty"); with nothing to choose, the
        // program is feasible exactly when every row admits zero.
        return if program
            .rows
            .iter()
            .all(|row| row.lower <= 0.0 && 0.0 <= row.upper)
        {
            Ok(Solved {
                values: Vec::new(),
                seconds: started.elapsed().as_secs_f64(),
            })
        } else {
            Err(SolveError::Infeasible)
        };
    }
    let mut problem_vars = ProblemVariables::new();
    let vars: Vec<Variable> = program
        .variables
        .iter()
        .map(|spec| {
            let definition = variable().min(spec.lower).max(spec.upper);
            problem_vars.add(if spec.integer {
                definition.integer()
            } else {
                definition
            })
        })
        .collect();
    let mut objective = Expression::with_capacity(program.objective.len());
    for (var, coefficient) in &program.objective {
        objective.add_mul(*coefficient, vars[var.0]);
    }
    let unsolved = match program.sense {
        Sense::Maximise => problem_vars.maximise(objective),
        Sense::Minimise => problem_vars.minimise(objective),
    };
    let has_integers = program.variables.iter().any(|spec| spec.integer);
    let mut model = highs(unsolved)
        .set_threads(1)
        .set_option("random_seed", 0)
        .set_option("output_flag", false)
        .set_time_limit(deadline.remaining().as_secs_f64().max(0.001));
    if has_integers {
        // Proven optimal, not "within 0.01 %".
        model = model
            .set_option("mip_rel_gap", 0.0)
            .set_option("mip_abs_gap", 1e-6);
    } else if program.interior_point {
        model = model.set_solver(HighsSolverType::Ipm);
    } else {
        model = model.set_solver(HighsSolverType::Simplex);
    }
    for row in &program.rows {
        let mut expression = Expression::with_capacity(row.terms.len());
        for (var, coefficient) in &row.terms {
            expression.add_mul(*coefficient, vars[var.0]);
        }
        if row.lower == row.upper {
            model.add_constraint(expression.eq(row.lower));
            continue;
        }
        if row.upper.is_finite() {
            model.add_constraint(expression.clone().leq(row.upper));
        }
        if row.lower.is_finite() {
            model.add_constraint(expression.geq(row.lower));
        }
    }
    let solution = model.solve().map_err(|error| match error {
        good_lp::ResolutionError::Infeasible => SolveError::Infeasible,
        good_lp::ResolutionError::Unbounded => SolveError::Unbounded,
        // Stopped at a limit before any feasible point was found.
        _ if deadline.passed() => deadline.error(),
        other => SolveError::Backend(other.to_string()),
    })?;
    match solution.status() {
        // `GapLimit` means within the gaps set above (zero relative, 1e-6 absolute on integral
        // objectives), which is proven optimal.
        SolutionStatus::Optimal | SolutionStatus::GapLimit => {}
        SolutionStatus::TimeLimit => return Err(deadline.error()),
    }
    let values = vars.iter().map(|var| solution.value(*var)).collect();
    Ok(Solved {
        values,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soon() -> Deadline {
        Deadline::after(DEFAULT_TIME_LIMIT)
    }

    #[test]
    fn a_program_without_variables_is_solved_or_infeasible() {
        let mut program = Program::new(Sense::Maximise);
        program.add_row("nothing", Vec::new(), 0.0, 1.0);
        assert!(solve(&program, soon()).unwrap().values.is_empty());
        program.add_row("impossible", Vec::new(), 1.0, 1.0);
        assert_eq!(solve(&program, soon()).unwrap_err(), SolveError::Infeasible);
    }

    #[test]
    fn a_tiny_assignment_is_solved_to_optimality() {
        // Two people, two jobs; costs favour the cross assignment.
        let mut program = Program::new(Sense::Minimise);
        let costs = [[4.0, 1.0], [1.0, 4.0]];
        let mut x = [[Var(0); 2]; 2];
        for (i, row) in costs.iter().enumerate() {
            for (j, cost) in row.iter().enumerate() {
                x[i][j] = program.add_binary(*cost);
            }
        }
        for (i, row) in x.iter().enumerate() {
            let terms = vec![(row[0], 1.0), (row[1], 1.0)];
            program.add_row(format!("person[{i}]"), terms, 1.0, 1.0);
        }
        let [first, second] = x;
        for (job, (a, b)) in first.iter().zip(second.iter()).enumerate() {
            program.add_row(format!("job[{job}]"), vec![(*a, 1.0), (*b, 1.0)], 1.0, 1.0);
        }
        let solved = solve(&program, soon()).unwrap();
        assert!(solved.is_set(x[0][1]) && solved.is_set(x[1][0]));
        assert!(!solved.is_set(x[0][0]));
    }

    #[test]
    fn infeasibility_is_reported() {
        let mut program = Program::new(Sense::Maximise);
        let v = program.add_continuous(1.0, 1.0);
        program.add_row("impossible", vec![(v, 1.0)], 2.0, f64::INFINITY);
        assert_eq!(solve(&program, soon()).unwrap_err(), SolveError::Infeasible);
    }

    /// A market-split instance (Cornuejols and Dawande): minimise the total deviation from
    /// splitting each of 4 weight vectors of 30 items in half. Any choice is feasible, so the
    /// solver has an incumbent at once, but proving the optimum takes branch and bound far longer
    /// than the limits below.
    fn market_split() -> Program {
        let mut program = Program::new(Sense::Minimise);
        let items: Vec<Var> = (0..30).map(|_| program.add_binary(0.0)).collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for row in 0..4 {
            let weights: Vec<f64> = items
                .iter()
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 100) as f64
                })
                .collect();
            let half = (weights.iter().sum::<f64>() / 2.0).floor();
            let over = program.add_continuous(f64::INFINITY, 1.0);
            let under = program.add_continuous(f64::INFINITY, 1.0);
            let mut terms: Vec<(Var, f64)> = items.iter().copied().zip(weights).collect();
            terms.extend([(over, -1.0), (under, 1.0)]);
            program.add_row(format!("split[{row}]"), terms, half, half);
        }
        program
    }

    #[test]
    fn a_solve_stopped_at_its_time_limit_is_an_error_not_a_result() {
        let program = market_split();
        assert_eq!(
            solve(&program, Deadline::after(Duration::ZERO)).unwrap_err(),
            SolveError::TimeLimit { seconds: 0.0 }
        );
        // HiGHS stops with an incumbent it has not proven optimal: that must not pass as one.
        assert!(matches!(
            solve(&program, Deadline::after(Duration::from_millis(300))),
            Err(SolveError::TimeLimit { .. })
        ));
    }
}
