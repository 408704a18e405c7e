//! Fitting FSRS parameters to a learner's own history (`review::optimize`): simulated
//! learners on an injected clock, seeded. Each card has a true memory, driven by FSRS
//! with the learner's *true* parameters; the learner recalls a card with the true
//! retrievability on the day Lectern (with the parameters in use) brings it back. Every
//! answer goes through the store as a review would (`record_review`), so the fit reads
//! the real review log.

use std::collections::HashMap;

use fsrs::{FSRSItem, FSRSReview, MemoryState, FSRS};
use lectern::progress::{CourseKey, NewReview, Rating, Source, Store};
use lectern::review::{self, FitKind};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{at, DAY, EPOCH_DAY};

/// A learner who forgets much faster than FSRS's defaults assume: a quarter of the
/// initial stabilities, a smaller gain per success, a steeper forgetting curve.
fn fast_forgetter() -> Vec<f32> {
    let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
    for s in &mut w[0..4] {
        *s *= 0.25;
    }
    w[8] *= 0.6;
    w[20] = 0.5;
    w
}

/// A simulated learner: the store, the true memory of each card and every answer that
/// rescheduled a card (card → (day, rating)), to judge predictions later.
struct Learner {
    _tmp: tempfile::TempDir,
    store: Store,
    key: CourseKey,
    truth: FSRS,
    decay: f32,
    rng: ChaCha8Rng,
    memory: HashMap<String, (MemoryState, i64)>,
    history: HashMap<String, Vec<(i64, u32)>>,
}

impl Learner {
    fn new(true_parameters: &[f32], seed: u64) -> Learner {
        // Thousands of answers are thousands of durable commits: in memory-backed
        // storage when the system has it (Linux's /dev/shm), where a sync costs nothing.
        let tmp = tempfile::tempdir_in("/dev/shm")
            .or_else(|_| tempfile::tempdir())
            .unwrap();
        let store = Store::open(&tmp.path().join("p.sqlite")).unwrap().store;
        Learner {
            _tmp: tmp,
            store,
            key: CourseKey::from_stored("id:fit-simulation"),
            truth: FSRS::new(true_parameters).unwrap(),
            decay: true_parameters[20],
            rng: ChaCha8Rng::seed_from_u64(seed),
            memory: HashMap::new(),
            history: HashMap::new(),
        }
    }

    fn chance(&mut self, p: f32) -> bool {
        (self.rng.next_u32() as f64 / u32::MAX as f64) < f64::from(p)
    }

    /// The learner answers `question` on test day `day`: right with the true
    /// probability of recall (a new card: 70%), recorded as a review.
    fn answer(&mut self, question: &str, day: i64) {
        let known = self.memory.get(question).copied();
        let p = known.map_or(0.7, |(m, last)| {
            fsrs::current_retrievability(m, (day - last) as f32, self.decay)
        });
        let right = self.chance(p);
        let now = at(day, 9, 0);
        let fsrs = review::schedule::scheduler(&self.store, &self.key).unwrap();
        let scheduled = self
            .store
            .record_review(&NewReview {
                course: &self.key,
                lesson: "sim",
                question,
                correct: right,
                source: Source::Review,
                time_ms: 3_000,
                now,
                scheduler: &fsrs,
            })
            .unwrap();
        assert!(scheduled.rescheduled);
        let rating = if right { Rating::Good } else { Rating::Again };
        let elapsed = known.map_or(0, |(_, last)| (day - last) as u32);
        let next = self
            .truth
            .next_states(known.map(|(m, _)| m), 0.9, elapsed)
            .unwrap();
        let state = if right { next.good } else { next.again };
        self.memory.insert(question.to_owned(), (state.memory, day));
        self.history
            .entry(question.to_owned())
            .or_default()
            .push((day, rating.number()));
    }

    /// Days `from..to`: `new_per_day` new questions a day, then every card due.
    fn study(&mut self, from: i64, to: i64, new_per_day: usize) {
        for day in from..to {
            let start = self.memory.len();
            for n in start..start + new_per_day {
                self.answer(&format!("q{n}"), day);
            }
            let end_of_day = (EPOCH_DAY + day + 1) * DAY - 1;
            let due = self.store.review_due_rows(&self.key, end_of_day).unwrap();
            for row in due {
                if self
                    .memory
                    .get(&row.question)
                    .is_some_and(|(_, last)| *last < day)
                {
                    self.answer(&row.question, day);
                }
            }
        }
    }

    fn reviews(&self) -> usize {
        self.history.values().map(Vec::len).sum()
    }

    /// The log loss of `parameters` on the answers given on or after `day` (each with
    /// the card's answers before it): how well they predict reviews they were not
    /// fitted on.
    fn held_out_log_loss(&self, parameters: &[f32], day: i64) -> f32 {
        let mut items = Vec::new();
        for answers in self.history.values() {
            let mut reviews = Vec::new();
            let mut last = None;
            for &(d, rating) in answers {
                let delta_t = last.map_or(0, |l: i64| (d - l) as u32);
                reviews.push(FSRSReview { rating, delta_t });
                if d >= day && reviews.len() > 1 {
                    items.push(FSRSItem {
                        reviews: reviews.clone(),
                    });
                }
                last = Some(d);
            }
        }
        assert!(items.len() > 100, "{} held-out reviews", items.len());
        FSRS::new(parameters)
            .unwrap()
            .evaluate(items, |_| true)
            .unwrap()
            .log_loss
    }
}

#[test]
fn a_learner_who_forgets_faster_than_the_defaults_gets_fitted_parameters_that_predict_later_reviews_better(
) {
    let mut learner = Learner::new(&fast_forgetter(), 27);
    learner.study(0, 300, 1);
    assert!(learner.reviews() > 2_000, "{} reviews", learner.reviews());
    let now = at(300, 20, 0);
    let fit = review::optimize(&mut learner.store, &learner.key, FitKind::Manual, &now).unwrap();
    assert!(fit.fitted && fit.adopted, "{fit:?}");
    let (old, new) = (fit.old.unwrap(), fit.new.unwrap());
    assert!(
        new.log_loss < old.log_loss && new.rmse < old.rmse,
        "{fit:?}"
    );
    let fitted: Vec<f32> = fit.parameters.iter().map(|&x| x as f32).collect();
    assert_ne!(fitted, fsrs::DEFAULT_PARAMETERS.to_vec());
    // The new parameters schedule what comes next; two more months of study are
    // predicted better by them than by the defaults.
    learner.study(300, 365, 1);
    let defaults = learner.held_out_log_loss(&fsrs::DEFAULT_PARAMETERS, 300);
    let adopted = learner.held_out_log_loss(&fitted, 300);
    assert!(
        adopted < defaults,
        "held out: fitted {adopted}, defaults {defaults}"
    );
    let in_use = review::fit::parameters(&learner.store, &learner.key).unwrap();
    assert!(!in_use.defaults);
    assert_eq!(in_use.parameters, fit.parameters);
    assert_eq!(in_use.fit.unwrap().reviews, fit.reviews);
}

#[test]
fn a_learner_who_forgets_as_the_defaults_say_keeps_the_defaults() {
    let mut learner = Learner::new(&fsrs::DEFAULT_PARAMETERS, 6);
    learner.study(0, 365, 3);
    assert!(learner.reviews() > 2_000, "{} reviews", learner.reviews());
    let fit = review::optimize(
        &mut learner.store,
        &learner.key,
        FitKind::Manual,
        &at(365, 9, 0),
    )
    .unwrap();
    assert!(fit.fitted, "{fit:?}");
    assert!(!fit.adopted, "{fit:?}");
    let in_use = review::fit::parameters(&learner.store, &learner.key).unwrap();
    assert!(in_use.defaults);
    assert_eq!(in_use.parameters.len(), 21);
    let history = learner.store.fits(&learner.key).unwrap();
    assert_eq!(history.len(), 1, "the fit is kept, not adopted");
    assert!(!history[0].adopted);
}

#[test]
fn an_empty_or_tiny_history_changes_nothing() {
    let mut learner = Learner::new(&fast_forgetter(), 3);
    let empty = review::optimize(
        &mut learner.store,
        &learner.key,
        FitKind::Manual,
        &at(0, 9, 0),
    )
    .unwrap();
    assert!(!empty.fitted && !empty.adopted);
    learner.study(0, 10, 5);
    assert!(learner.reviews() < review::fit::FIT_MIN_REVIEWS);
    let tiny = review::optimize(
        &mut learner.store,
        &learner.key,
        FitKind::Manual,
        &at(10, 9, 0),
    )
    .unwrap();
    assert!(!tiny.fitted && !tiny.adopted, "{tiny:?}");
    assert!(learner.store.fits(&learner.key).unwrap().is_empty());
    assert!(
        review::fit::parameters(&learner.store, &learner.key)
            .unwrap()
            .defaults
    );
    assert!(!review::fit::background_due(&learner.store, &learner.key).unwrap());
}

#[test]
fn reset_returns_to_the_defaults_for_answers_to_come_and_keeps_the_history() {
    let mut learner = Learner::new(&fast_forgetter(), 11);
    learner.study(0, 200, 1);
    assert!(review::fit::background_due(&learner.store, &learner.key).unwrap());
    let fit = review::optimize(
        &mut learner.store,
        &learner.key,
        FitKind::Background,
        &at(200, 9, 0),
    )
    .unwrap();
    assert!(fit.adopted, "{fit:?}");
    assert!(!review::fit::background_due(&learner.store, &learner.key).unwrap());
    let due_before = learner
        .store
        .review_due_rows(&learner.key, i64::MAX)
        .unwrap();
    review::fit::reset(&mut learner.store, &learner.key, &at(200, 10, 0)).unwrap();
    let in_use = review::fit::parameters(&learner.store, &learner.key).unwrap();
    assert!(in_use.defaults);
    assert_eq!(
        in_use.parameters,
        fsrs::DEFAULT_PARAMETERS.map(f64::from).to_vec()
    );
    let kinds: Vec<FitKind> = learner
        .store
        .fits(&learner.key)
        .unwrap()
        .iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, [FitKind::Reset, FitKind::Background]);
    // Switching parameters moves no card: only later answers use them.
    assert_eq!(
        learner
            .store
            .review_due_rows(&learner.key, i64::MAX)
            .unwrap(),
        due_before
    );
    assert!(!review::fit::background_due(&learner.store, &learner.key).unwrap());
}

/// `lectern review optimize DIR --db DB --json` on the learner's database, DIR a course
/// whose id is the learner's.
fn optimize_cli(learner: &Learner, day: i64) -> serde_json::Value {
    let dir = learner._tmp.path().join("course");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("course.yaml"),
        "id: fit-simulation\ntitle: Simulation\n",
    )
    .unwrap();
    std::fs::write(dir.join("one.md"), "# One\n\nText.\n").unwrap();
    let db = learner._tmp.path().join("p.sqlite");
    let args = [
        "review",
        "optimize",
        dir.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
    ];
    super::cli::lectern(&args, at(day, 9, 0).at).0
}

#[test]
fn review_optimize_on_the_command_line_reports_the_fit_and_adopts_it_as_the_app_would() {
    let mut learner = Learner::new(&fast_forgetter(), 5);
    let tiny = optimize_cli(&learner, 0);
    assert_eq!(tiny["fitted"], false);
    assert_eq!(tiny["adopted"], false);
    assert_eq!(tiny["reviews"], 0);
    assert_eq!(tiny["min_reviews"], review::fit::FIT_MIN_REVIEWS);
    assert_eq!(tiny["parameters"].as_array().unwrap().len(), 21);
    assert!(tiny["old"].is_null() && tiny["new"].is_null());
    learner.study(0, 200, 1);
    let json = optimize_cli(&learner, 200);
    assert_eq!(json["course"], "id:fit-simulation");
    assert_eq!(json["fitted"], true);
    assert_eq!(json["adopted"], true, "{json}");
    assert_eq!(json["reviews"], learner.reviews());
    let (old, new) = (&json["old"], &json["new"]);
    assert!(
        new["log_loss"].as_f64() < old["log_loss"].as_f64(),
        "{json}"
    );
    assert!(new["rmse"].as_f64() < old["rmse"].as_f64(), "{json}");
    let in_use = review::fit::parameters(&learner.store, &learner.key).unwrap();
    assert_eq!(json["parameters"], serde_json::json!(in_use.parameters));
    assert!(!in_use.defaults);
}

#[test]
fn a_shared_store_fits_in_the_background_only_when_enough_new_answers_came() {
    let mut learner = Learner::new(&fast_forgetter(), 19);
    learner.study(0, 200, 1);
    let key = learner.key.clone();
    let Learner { store, _tmp, .. } = learner;
    let shared = std::sync::Mutex::new(Some(store));
    let now = at(200, 9, 0);
    let fits = |kind| review::fit::optimize_shared(&shared, &key, kind, &now).unwrap();
    let fit = fits(FitKind::Background).expect("due: fitted");
    assert!(fit.fitted && fit.adopted, "{fit:?}");
    assert_eq!(
        fits(FitKind::Background),
        None,
        "no new answers since: not due"
    );
    assert!(
        fits(FitKind::Manual).unwrap().fitted,
        "asked: fitted anyway"
    );
    let kinds: Vec<FitKind> = shared
        .lock()
        .unwrap()
        .as_ref()
        .unwrap()
        .fits(&key)
        .unwrap()
        .iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, [FitKind::Manual, FitKind::Background]);
    let none = std::sync::Mutex::new(None);
    assert_eq!(
        review::fit::optimize_shared(&none, &key, FitKind::Manual, &now).unwrap(),
        None
    );
}

#[test]
fn the_history_of_fits_and_the_parameters_in_use_survive_export_and_import() {
    let mut learner = Learner::new(&fast_forgetter(), 23);
    learner.study(0, 200, 1);
    let key = learner.key.clone();
    let fit = review::optimize(&mut learner.store, &key, FitKind::Manual, &at(200, 9, 0)).unwrap();
    assert!(fit.adopted, "{fit:?}");
    let export = learner.store.export().unwrap();
    assert_eq!(export.review_fits.len(), 1);
    let json = serde_json::to_string(&export).unwrap();
    let mut fresh = Store::open(&learner._tmp.path().join("fresh.sqlite"))
        .unwrap()
        .store;
    fresh.import(&serde_json::from_str(&json).unwrap()).unwrap();
    fresh.import(&export).unwrap();
    assert_eq!(
        fresh.fits(&key).unwrap(),
        learner.store.fits(&key).unwrap(),
        "once"
    );
    let in_use = review::fit::parameters(&fresh, &key).unwrap();
    assert!(!in_use.defaults);
    assert_eq!(in_use.parameters, fit.parameters);
    assert_eq!(
        serde_json::to_string(&fresh.export().unwrap()).unwrap(),
        json
    );
}
