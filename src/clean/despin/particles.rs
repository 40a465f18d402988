//! A spinner that writes the particle 的 as 得 or 地 throughout (`读书得时候`,
//! `真正得成年人`). 的 is the commonest Chinese character, ten times as common as 得: a
//! page where it is all but gone while 得 or 地 abounds was not written so. On such a
//! page each use of the stand-in that is no part of a word (觉得, 得到) and reads better
//! as 的 with its neighbours (the word-pair model) is proposed for restoration; a
//! writer's complement stays (`大得不好意思`).

use super::pairs::PairModel;
use super::segment::{clause_around, segment};
use super::{MIDDLE_MARGIN, ODDS_HIGH_MARGIN, Proposal, Source};
use crate::clean::dict::simplified_char;

/// The particle the spinner replaced.
const PARTICLE: char = '的';

/// The characters a spinner writes for it.
const STAND_INS: [char; 2] = ['得', '地'];

/// The fewest uses of a stand-in that can show the swap.
const MIN_STAND_INS: usize = 8;

/// A stand-in must be at least this many times as common on the page as 的 itself.
const STAND_IN_RATIO: usize = 4;

/// And at least one in this many CJK characters (or Latin words): 的 is about one in
/// 25 in prose, 得 one in 250.
const STAND_IN_DENSITY: usize = 100;

/// The log odds that a stand-in which is no part of a word stands for 的 on a page that
/// writes 的 so, before its neighbours are weighed: ln 20. In prose 的 is about 4 % of
/// the characters and 得 0.4 %, half of it inside words (觉得, 得到); the project's own
/// sample texts hold 142 的 to 5 such 得.
const PAGE_PRIOR: f64 = 2.995_732_273_553_991;

/// Characters of context on either side of a stand-in when segmenting its clause.
const CONTEXT: usize = 4;

/// The stand-in the page writes for 的, if its counts show the swap; `units` is the
/// page's length in CJK characters and Latin words (`gate::units`). Raw counts first
/// (cheap, and enough to rule out nearly every page), then the uses that are no part
/// of a word: a page of place names holds 地 in 地区 and 土地 many times over.
pub fn swapped_particle(page: &str, units: usize) -> Option<char> {
    let count = |c: char| {
        let mut buffer = [0u8; 4];
        memchr::memmem::find_iter(page.as_bytes(), c.encode_utf8(&mut buffer).as_bytes()).count()
    };
    let particles = count(PARTICLE);
    let shows_swap = |uses: usize| {
        uses >= MIN_STAND_INS
            && uses >= particles * STAND_IN_RATIO
            && uses * STAND_IN_DENSITY >= units
    };
    STAND_INS.into_iter().find(|&stand_in| {
        shows_swap(count(stand_in)) && shows_swap(lone_uses(page, stand_in).count())
    })
}

/// A use of the stand-in that is no part of a word, with its neighbouring words in
/// the simplified script.
struct LoneUse {
    /// Where it starts (bytes).
    start: usize,
    /// The word before it in its clause, or nothing at the clause's start.
    before: String,
    /// The word after it, or nothing at the clause's end.
    after: String,
}

/// The uses of `stand_in` in `text` that the dictionary's segmentation of their clause
/// reads as a word of their own (not 觉得, 得到).
fn lone_uses(text: &str, stand_in: char) -> impl Iterator<Item = LoneUse> + '_ {
    text.match_indices(stand_in)
        .filter_map(move |(start, found)| {
            // The models hold the simplified script; a traditional page is read through it.
            let (clause, form, _) =
                clause_around::<CONTEXT>(text, start, start + found.len(), simplified_char);
            let (_, cuts) = segment(&clause);
            let cut = cuts.iter().position(|&cut| cut == form)?;
            if cuts.get(cut + 1) != Some(&(form + 1)) {
                return None;
            }
            Some(LoneUse {
                start,
                before: clause[cuts[cut.saturating_sub(1)]..form].iter().collect(),
                after: cuts
                    .get(cut + 2)
                    .map(|&end| clause[form + 1..end].iter().collect())
                    .unwrap_or_default(),
            })
        })
}

/// The uses of `stand_in` in `text` that stand for 的, with the word-pair model's
/// margin for 的 over the stand-in between their neighbours.
pub fn propose(text: &str, stand_in: char) -> Vec<Proposal> {
    let model = PairModel::chinese();
    let generic_prior = alone(model, PARTICLE) - alone(model, stand_in);
    lone_uses(text, stand_in)
        .filter_map(
            |LoneUse {
                 start,
                 before,
                 after,
             }| {
                // The model's reading weighs each character by its frequency in all prose;
                // on this page the prior is the page's own (PAGE_PRIOR), so the margin is
                // the log odds of 的 against the stand-in here.
                let margin = PAGE_PRIOR + reading(model, &before, PARTICLE, &after)
                    - reading(model, &before, stand_in, &after)
                    - generic_prior;
                (margin >= MIDDLE_MARGIN).then(|| Proposal {
                    start,
                    end: start + stand_in.len_utf8(),
                    original: PARTICLE.to_string(),
                    margin,
                    sure_margin: ODDS_HIGH_MARGIN,
                    spun_margin: margin,
                    source: Source::SwappedParticle,
                    reason: format!(
                        "{PARTICLE} written as {stand_in} throughout the page; \
                     {before}{PARTICLE}{after} reads {margin:.1} more likely here"
                    ),
                })
            },
        )
        .collect()
}

/// The log probability (nats) of the character `c` alone, as the word-pair model reads
/// it.
fn alone(model: &PairModel, c: char) -> f64 {
    let mut buffer = [0u8; 4];
    model
        .id(c.encode_utf8(&mut buffer))
        .map_or(0.0, |id| model.log_prob_alone(id))
}

/// The log probability (nats) of `middle` after `before` and of `after` after it, as
/// the word-pair model reads them; a neighbour the model lacks is read by its
/// character next to `middle`, an empty one (a clause's edge) not at all.
fn reading(model: &PairModel, before: &str, middle: char, after: &str) -> f64 {
    let mut buffer = [0u8; 4];
    let Some(middle) = model.id(middle.encode_utf8(&mut buffer)) else {
        return 0.0;
    };
    let word = |word: &str, edge: Option<char>| {
        model.id(word).or_else(|| {
            let mut buffer = [0u8; 4];
            edge.and_then(|c| model.id(c.encode_utf8(&mut buffer)))
        })
    };
    let first = match word(before, before.chars().last()) {
        Some(previous) => model.log_prob(previous, middle),
        None => model.log_prob_alone(middle),
    };
    let second = word(after, after.chars().next()).map_or(0.0, |next| model.log_prob(middle, next));
    first + second
}

#[cfg(test)]
mod tests {
    use super::super::gate::units;
    use super::*;

    /// A page written for the project, every 的 spun to 得; its writer's own 得 are in
    /// 觉得, 获得 and the complements 跑得很快 and 做得不错.
    const SPUN: &str = "林知远在南岭大学读书得时候，买了一辆很旧得自行车。他觉得有了车就能去更远得地方，\
        也更像一个真正得大人。那辆车跑得很快，可是天冷也坏，天热也坏。他把车卖给了一位老师，\
        老师得孩子骑着它去上学。后来他获得了一份报社得工作，写了很多城市得故事。\
        他说，那些年做得不错得事情不多，最难忘得还是那辆车。";

    fn restored(text: &str) -> String {
        let stand_in = swapped_particle(text, units(text)).expect("the page shows the swap");
        let mut out = text.to_string();
        for p in propose(text, stand_in).iter().rev() {
            if p.confidence() == crate::clean::report::Confidence::High {
                out.replace_range(p.start..p.end, &p.original);
            }
        }
        out
    }

    #[test]
    fn a_page_without_its_de_is_found_by_its_counts() {
        assert_eq!(swapped_particle(SPUN, units(SPUN)), Some('得'));
        assert_eq!(
            swapped_particle(&SPUN.replace('得', "地"), units(SPUN)),
            Some('地')
        );
        // The writer's page: 的 is there, and 得 is rare.
        let written = restored(SPUN);
        assert_eq!(swapped_particle(&written, units(&written)), None);
        // Too few uses to tell.
        assert_eq!(
            swapped_particle("他跑得很快，写得很好，说得不错。", 15),
            None
        );
        // A list of places holds 地 in words only.
        let places = "地区 土地 地方 地址 各地 基地 本地 当地 外地 产地 地区 土地 地方 地址";
        assert_eq!(swapped_particle(places, units(places)), None);
    }

    #[test]
    fn a_stand_in_is_restored_save_in_a_word_or_a_complement() {
        let out = restored(SPUN);
        for kept in ["觉得", "获得", "跑得很快", "做得不错"] {
            assert!(out.contains(kept), "{kept}: {out}");
        }
        for put_back in ["读书的时候", "真正的大人", "老师的孩子", "最难忘的还是"]
        {
            assert!(out.contains(put_back), "{put_back}: {out}");
        }
        // Traditional text is read through the simplified models.
        let traditional = "他在大學讀書得時候，買了一輛很舊得自行車。老師得孩子騎著它去上學，\
            城市得故事很多，報社得工作很忙，真正得大人很少，最難忘得還是那輛車，更遠得地方。";
        let stand_in =
            swapped_particle(traditional, units(traditional)).expect("the page shows the swap");
        let proposals = propose(traditional, stand_in);
        assert!(
            proposals
                .iter()
                .any(|p| traditional[..p.start].ends_with("讀書")),
            "{proposals:?}"
        );
    }
}
