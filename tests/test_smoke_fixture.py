from danso.services.units import unit_tree


def test_the_fixture_database_holds_the_official_units(ctx):
    node, ancestors = unit_tree(ctx, "31", depth=1)
    assert node.unit.name == "Thành phố Hải Phòng"
    assert len(node.children) == 114
