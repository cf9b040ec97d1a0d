"""Link the names of convnb in the chapters' text to the API reference.

In the markdown cells of every notebook under book/, a name written as code, such as
`` `convnb.conv2d` `` or `` `convnb.arithmetic` ``, becomes a MyST role that links to its
entry in book/api.md: ``{func}`convnb.conv2d` ``, ``{mod}`convnb.arithmetic` ``. A name
documented under a shorter one gets an explicit target
(``{func}`convnb.arithmetic.receptive_field <convnb.receptive_field>` ``). Names the reference
does not document are left as they are, and so is code in fenced blocks. Running it again
changes nothing; only the markdown cells' sources are rewritten.

    python scripts/link_api_names.py            # rewrite the notebooks in place
    python scripts/link_api_names.py --check    # exit 1, naming notebooks with unlinked names
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NAME = re.compile(r"(?<![}`\w])`(convnb(?:\.\w+)+)(?:\(\))?`(?!`)")
FENCE = re.compile(r"^(```|~~~|:::).*?^\1", flags=re.S | re.M)


def _canonical_names() -> dict[str, tuple[str, str]]:
    path = ROOT / "scripts" / "api_reference.py"
    spec = importlib.util.spec_from_file_location("api_reference", path)
    module = sys.modules["api_reference"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.canonical_names()


def link(text: str, names: dict[str, tuple[str, str]]) -> str:
    """The markdown ``text`` with every documented ``convnb`` name as a role."""

    def role(match: re.Match) -> str:
        name = match.group(1)
        if name not in names:
            return match.group(0)
        kind, target = names[name]
        return f"{{{kind}}}`{name}`" if target == name else f"{{{kind}}}`{name} <{target}>`"

    out, last = [], 0
    for fence in FENCE.finditer(text):  # code blocks stay as they are
        out += [NAME.sub(role, text[last : fence.start()]), fence.group(0)]
        last = fence.end()
    out.append(NAME.sub(role, text[last:]))
    return "".join(out)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    names = _canonical_names()
    changed = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        dirty = False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                new = link(cell.source, names)
                if new != cell.source:
                    cell.source, dirty = new, True
        if dirty:
            changed.append(path.relative_to(ROOT))
            if not check:
                nbformat.write(nb, path)
    for path in changed:
        print(f"{path}: {'has unlinked names' if check else 'linked'}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
