"""Ordering moves between slots: a slot is free when empty or vacated, chains go in waves, cycles through parking."""

from jobpolicy.domain.slot_moves import MovePlan, plan_moves


def slot(item, institution="X", period="once"):
    return institution, item, period


def test_a_move_into_an_empty_slot_is_one_wave():
    assert plan_moves({slot("a"): 1}, {1: slot("b")}) == MovePlan({1: slot("b")}, (), ((1,),))


def test_a_chain_moves_from_its_free_end():
    # 1 sits in a and goes to b, where 2 sits and goes to c, where 3 sits and goes to the empty d.
    sitting = {slot("a"): 1, slot("b"): 2, slot("c"): 3}
    plan = plan_moves(sitting, {1: slot("b"), 2: slot("c"), 3: slot("d")})
    assert plan.targets == {1: slot("b"), 2: slot("c"), 3: slot("d")}
    assert (plan.parked, plan.waves) == ((), ((3,), (2,), (1,)))


def test_a_chain_ending_at_a_record_that_stays_does_not_move():
    sitting = {slot("a"): 1, slot("b"): 2, slot("c"): 3}  # 3 stays in c
    plan = plan_moves(sitting, {1: slot("b"), 2: slot("c")})
    assert plan == MovePlan({}, (), ())


def test_a_swap_parks_one_record_which_arrives_last():
    plan = plan_moves({slot("a"): 1, slot("b"): 2}, {1: slot("b"), 2: slot("a")})
    assert plan.targets == {1: slot("b"), 2: slot("a")}
    assert (plan.parked, plan.waves) == ((1,), ((2,), (1,)))


def test_a_rotation_of_three_parks_one_record():
    sitting = {slot("a"): 1, slot("b"): 2, slot("c"): 3}
    plan = plan_moves(sitting, {1: slot("b"), 2: slot("c"), 3: slot("a")})
    assert (plan.parked, plan.waves) == ((1,), ((3,), (2,), (1,)))


def test_slots_of_different_institutions_and_periods_are_apart():
    sitting = {slot("a"): 1, slot("b", "Y"): 2, slot("b", period="2025"): 3}
    plan = plan_moves(sitting, {1: slot("b")})
    assert (plan.targets, plan.waves) == ({1: slot("b")}, ((1,),))


def test_independent_moves_share_their_waves():
    sitting = {slot("a"): 1, slot("b"): 2, slot("a", "Y"): 3, slot("b", "Y"): 4, slot("c", "Y"): 5}
    wanted = {1: slot("b"), 2: slot("a"), 3: slot("b", "Y"), 4: slot("c", "Y"), 5: slot("d", "Y")}
    plan = plan_moves(sitting, wanted)
    assert plan.parked == (1,)
    assert plan.waves == ((2, 5), (1, 4), (3,))
