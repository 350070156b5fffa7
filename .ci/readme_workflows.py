"""Write each GitHub Actions workflow shown in README.md (a ```yaml block with `on:` and
`jobs:`) into the folder given, as readme-N.yml, so that .ci/run lints what users copy."""

import pathlib
import re
import sys


def main(readme, out):
    text = pathlib.Path(readme).read_text(encoding="utf-8")
    out = pathlib.Path(out)
    for old in out.glob("readme-*.yml"):
        old.unlink()
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)
    n = 0
    for block in blocks:
        if re.search(r"^on:", block, re.M) and re.search(r"^jobs:", block, re.M):
            n += 1
            (out / f"readme-{n}.yml").write_text(block, encoding="utf-8")
    if n == 0:
        sys.exit("README.md shows no workflow to lint")
    print(f"README.md: {n} workflow(s)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
