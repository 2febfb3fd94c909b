from async_patterns.cli import main

raise SystemExit(main())
