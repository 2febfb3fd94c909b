"""Record the names the library catalogue uses, as the libraries' current releases define them.

Installs every library of server/async_patterns/analysis/libraries/*.toml from PyPI into
throwaway virtual environments, imports each name the catalogue mentions (constructors,
annotations, module-level objects, blocking functions, the classes behind its types) and lists the
members of the classes whose methods and attributes the catalogue names, then writes
tests/data/library_names.json. tests/test_library_catalogue.py checks the catalogue against that
file offline, so the test run never installs anything.

    .venv/bin/python scripts/record_library_names.py            # all libraries
    .venv/bin/python scripts/record_library_names.py redis boto3  # re-record some, keep the rest

mysqlclient builds from source on Linux: it needs a C compiler and the MySQL client headers
(Debian: `apt-get install default-libmysqlclient-dev`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import venv
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from async_patterns.analysis.libraries import Catalogue, Library, catalogue_from_reviewed_files  # noqa: E402

OUTPUT = ROOT / "tests" / "data" / "library_names.json"

# Distributions that install the same import package as another one get an environment of their own.
_SEPARATE_ENVIRONMENT = {"python-whois": "python-whois"}

# Members that only an instance shows (attributes set in `__init__`, generated or lazily loaded
# ones), made without touching the network; an expression may also give the names themselves.
_BOTO3 = "region_name='us-east-1', aws_access_key_id='k', aws_secret_access_key='s'"
_INSTANCES = {
    "botocore.client.BaseClient": [f"boto3.client('s3', {_BOTO3})"],
    "boto3.resources.base.ServiceResource": [
        f"boto3.resource('s3', {_BOTO3})",
        "boto3.resources.collection.ResourceCollection",
        "boto3.dynamodb.table.TableResource",
        # The sub-resource factories boto3 generates from its resource models ("has").
        "{name for path in __import__('pathlib').Path(boto3.__file__).parent.joinpath('data').rglob('resources-1.json')"
        " for model in [__import__('json').loads(path.read_text())]"
        " for part in [model.get('service', {}), *model.get('resources', {}).values()] for name in part.get('has', {})}",
    ],
    "docker.DockerClient": ["docker.DockerClient(version='1.45')"],
    "elasticsearch.Elasticsearch": ["elasticsearch.Elasticsearch('http://localhost:9200')"],
    "mistralai.client.Mistral": ["mistralai.client.Mistral(api_key='k')"],
    "requests.Response": ["requests.Response()"],
}


# Runs inside the throwaway environment: resolves names and lists members.
_INTROSPECT = textwrap.dedent(
    r'''
    import contextlib, importlib, importlib.metadata, inspect, json, pkgutil, sys, warnings
    warnings.simplefilter("ignore")
    request = json.load(sys.stdin)
    answer_path = sys.argv[1]

    def by_attributes(parts):
        """What `import a; a.b.c` gives: attributes first, a submodule only where there is none."""
        try:
            value = importlib.import_module(parts[0])
        except Exception:
            return None
        for number, part in enumerate(parts[1:], 2):
            if hasattr(value, part):
                value = getattr(value, part)
                continue
            try:
                value = importlib.import_module(".".join(parts[:number]))
            except Exception:
                return None
        return value

    def by_import(parts):
        """What `from a.b import c` gives: the longest importable module, then attributes."""
        for split in range(len(parts), 0, -1):
            try:
                value = importlib.import_module(".".join(parts[:split]))
            except Exception:
                continue
            for part in parts[split:]:
                value = getattr(value, part, None)
            return value
        return None

    def resolve(qualname):
        """A name as code can reach it: `a.b.c` after `import a`, or `from a.b import c`."""
        parts = qualname.split(".")
        found = [value for value in (by_attributes(parts), by_import(parts)) if value is not None]
        return next((value for value in found if inspect.isclass(value)), found[0] if found else None)

    def kind(value):
        if inspect.ismodule(value):
            return "module"
        if inspect.isclass(value):
            return "class"
        if callable(value):
            return "function"
        return "object"

    def import_everything(module_names):
        """Every submodule, so that subclasses defined anywhere in the library are known."""
        for module_name in module_names:
            try:
                package = importlib.import_module(module_name)
            except Exception:
                continue
            for info in pkgutil.walk_packages(getattr(package, "__path__", []), module_name + ".", onerror=lambda _: None):
                if ".tests" in info.name or ".test_" in info.name or info.name.endswith("__main__"):
                    continue
                try:
                    with contextlib.redirect_stdout(sys.stderr):
                        importlib.import_module(info.name)
                except BaseException:
                    pass

    def has(value, name):
        """Whether an attribute exists; one whose computation fails (a property that would ask
        a server) exists all the same."""
        try:
            getattr(value, name)
        except AttributeError:
            return False
        except Exception:
            return True
        return True

    def subclasses(cls):
        found, stack = set(), [cls]
        while stack:
            current = stack.pop()
            for sub in current.__subclasses__():
                if sub not in found:
                    found.add(sub)
                    stack.append(sub)
        return found

    result = {}
    for library in request:
        import_everything(library["modules"])
        names = {}
        for qualname in library["names"]:
            value = resolve(qualname)
            names[qualname] = None if value is None else kind(value)
        members = {}
        for class_name in library["classes"]:
            cls = resolve(class_name)
            if not inspect.isclass(cls):
                continue
            found = set(dir(cls))
            for sub in subclasses(cls):
                found.update(dir(sub))
            for expression in library["instances"].get(class_name, []):
                namespace = {name: importlib.import_module(name) for name in library["modules"]}
                try:
                    made = eval(expression, namespace)
                except Exception as error:
                    print(f"{class_name}: {expression}: {error}", file=sys.stderr)
                    continue
                if isinstance(made, (set, list)):
                    found.update(made)
                    continue
                found.update(dir(made))
                found.update(name for name in library["classes"][class_name] if has(made, name))
            members[class_name] = sorted(name for name in found if not name.startswith("__"))
        if library["standard_library"]:
            version = "Python " + ".".join(map(str, sys.version_info[:3]))
        else:
            version = importlib.metadata.version(library["distribution"])
        result[library["name"]] = {"version": version, "names": names, "members": members}
    with open(answer_path, "w", encoding="utf-8") as answer:
        json.dump(result, answer)
    '''
)


def record(libraries: list[Library], folder: Path, environment: str) -> dict:
    python = folder / environment / "bin" / "python"
    venv.EnvBuilder(with_pip=True, clear=True).create(folder / environment)
    distributions = [library.name for library in libraries if not library.standard_library]
    if distributions:
        print(f"[{environment}] installing {' '.join(distributions)}", file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *distributions], check=True)
    request = []
    for library in libraries:
        members = {runtime_class: sorted(named) for runtime_class, named in library.member_names().items()}
        request.append(
            {
                "name": library.name,
                "distribution": library.name,
                "standard_library": library.standard_library,
                "modules": list(library.modules),
                "names": sorted(library.qualified_names()),
                "classes": members,
                "instances": {name: _INSTANCES[name] for name in members if name in _INSTANCES},
            }
        )
    answer = folder / f"{environment}.json"
    subprocess.run([python, "-c", _INTROSPECT, answer], input=json.dumps(request), text=True, check=True)
    recorded = json.loads(answer.read_text(encoding="utf-8"))
    return recorded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("libraries", nargs="*", help="distribution names to re-record (default: all)")
    options = parser.parse_args()
    catalogue: Catalogue = catalogue_from_reviewed_files()
    chosen = [library for library in catalogue.libraries if not options.libraries or library.name in options.libraries]
    previous = json.loads(OUTPUT.read_text(encoding="utf-8")) if OUTPUT.is_file() else {"libraries": {}}
    groups: dict[str, list[Library]] = {}
    for library in chosen:
        groups.setdefault(_SEPARATE_ENVIRONMENT.get(library.name, "main"), []).append(library)
    recorded = dict(previous["libraries"]) if options.libraries else {}
    with tempfile.TemporaryDirectory(prefix="library-names-") as folder:
        for environment, libraries in groups.items():
            recorded.update(record(libraries, Path(folder), environment))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "about": "Names the library catalogue uses, as installed from PyPI; written by scripts/record_library_names.py.",
        "recorded": date.today().isoformat(),
        "python": ".".join(map(str, sys.version_info[:3])),
        "libraries": dict(sorted(recorded.items())),
    }
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    missing = [
        f"{library}: {name}"
        for library, found in recorded.items()
        for name, kind in found["names"].items()
        if kind is None
    ]
    print(f"wrote {OUTPUT} ({len(recorded)} libraries); names not found: {len(missing)}", file=sys.stderr)
    for line in missing:
        print(f"  {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
