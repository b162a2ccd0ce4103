"""Importance on the top line (issue 13): stories side by side on a cut's top line stand in the
list's order from left to right, the lead at the top left, where that scores no worse
(plan.lead_left). The search's score counts lines below the top only, so a layout and its mirror
image cost the same: e9-tabloid's A02 had its lead right of the third story, and the sample's A03
and A05 their leads right of the second story."""

from __future__ import annotations

from layout.autolayout.estimate import Option
from layout.autolayout.plan import lead_left
from layout.autolayout.score import Cut, Leaf, placements, score_tree
from layout.autolayout.search import Piece, Problem, Solution, optimise


def _solution(problem: Problem, tree) -> Solution:
    score = score_tree(tree, [pc.rank for pc in problem.pieces], lambda i: problem.pieces[i].headline, problem.top)
    return Solution(tree, score, 0.0)


def _where(problem: Problem, sol: Solution) -> dict[str, tuple[int, int, int, int]]:
    return {problem.pieces[p.item].name: (p.col, p.line, p.cols, p.lines) for p in placements(sol.tree, 1, problem.top)}


def _e9_a02(pinned: tuple[int, int, int, int] | None = None) -> Problem:
    lead = Piece("lead", (Option(3, 18, 0.0, head_size=28.0),), rank=0, order=0)
    second = Piece("second", (Option(3, 54, 0.0, head_size=28.0),), rank=1, order=1)
    third = Piece("third", (Option(3, 72, 0.0, head_size=28.0),), rank=2, order=2, pinned=pinned)
    return Problem(6, 1, 72, (lead, second, third))


def test_the_lead_moves_to_the_top_left():
    problem = _e9_a02()
    # the layout the search gave e9-tabloid's A02: the third story left, the lead over the second right
    tree = Cut("v", 3, Leaf(2, problem.pieces[2].options[0]),
               Cut("h", 18, Leaf(0, problem.pieces[0].options[0]), Leaf(1, problem.pieces[1].options[0])))
    sol = _solution(problem, tree)
    got = lead_left(problem, sol)
    assert _where(problem, got) == {"lead": (1, 1, 3, 18), "second": (1, 19, 3, 54), "third": (4, 1, 3, 72)}
    assert abs(got.score.total - sol.score.total) < 1e-9  # a mirror image: the same score


def test_a_pinned_side_stays():
    problem = _e9_a02(pinned=(1, 1, 3, 72))
    tree = Cut("v", 3, Leaf(2, problem.pieces[2].options[0]),
               Cut("h", 18, Leaf(0, problem.pieces[0].options[0]), Leaf(1, problem.pieces[1].options[0])))
    sol = _solution(problem, tree)
    assert lead_left(problem, sol) is sol


def test_a_swap_that_scores_worse_is_not_made():
    """The second story left, a free photo and the lead right of it: the lead moved left would
    stand headline to headline with the second story (a tombstone the photo keeps apart now)."""
    story = Option(2, 72, 0.0, head_size=28.0)
    pieces = (Piece("lead", (story,), rank=0, order=0), Piece("second", (story,), rank=1, order=1),
              Piece("photo", (Option(2, 72, 0.0),)))
    problem = Problem(6, 1, 72, pieces)
    tree = Cut("v", 2, Leaf(1, story), Cut("v", 2, Leaf(2, pieces[2].options[0]), Leaf(0, story)))
    sol = _solution(problem, tree)
    assert sol.score.tombstones == 0
    assert lead_left(problem, sol) is sol


def test_stories_side_by_side_stand_in_list_order():
    pieces = tuple(Piece(f"s{k}", (Option(1, 72, 0.0, head_size=20.0),), rank=k, order=k) for k in range(4))
    problem = Problem(4, 1, 72, pieces)
    leaf = [Leaf(k, pieces[k].options[0]) for k in range(4)]
    tree = Cut("v", 2, Cut("v", 1, leaf[3], leaf[2]), Cut("v", 1, leaf[1], leaf[0]))
    sol = _solution(problem, tree)
    got = lead_left(problem, sol)
    assert [p.item for p in sorted(placements(got.tree), key=lambda p: p.col)] == [0, 1, 2, 3]
    assert got.score.total <= sol.score.total + 1e-9


def test_search_answers_keep_their_scores():
    """On a searched problem the reordered layouts score exactly as the search's did, or better."""
    problem = _e9_a02()
    for sol in optimise(problem, 3, [10_000_000]):
        got = lead_left(problem, sol)
        assert got.score.total <= sol.score.total + 1e-9
        where = _where(problem, got)
        assert where["lead"][:2] == (1, 1), where


def test_a_page_read_right_to_left_puts_its_lead_top_right():
    """A page led by a vertical (直排) story reads from right to left: the lead takes the top
    right, and a layout with it on the left is mirrored (at the same score)."""
    problem = _e9_a02()
    tree = Cut("v", 3, Cut("h", 18, Leaf(0, problem.pieces[0].options[0]), Leaf(1, problem.pieces[1].options[0])),
               Leaf(2, problem.pieces[2].options[0]))
    sol = _solution(problem, tree)
    assert lead_left(problem, sol) is sol  # read left to right: as it is
    got = lead_left(problem, sol, rightward=True)
    assert _where(problem, got) == {"lead": (4, 1, 3, 18), "second": (4, 19, 3, 54), "third": (1, 1, 3, 72)}
    assert abs(got.score.total - sol.score.total) < 1e-9
