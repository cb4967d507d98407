# Sourced by ./jtap and ./test: sets JTAP_JAVA_HOME to a JDK >= 25 or fails with advice.
jtap_java_major() {
    if [ -r "$1/release" ]; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
    else
        "$1/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
    fi
}

jtap_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(jtap_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge 25 ]; then
            JTAP_JAVA_HOME=$candidate
            return 0
        fi
    done
    echo "jtap: no JDK 25 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm): install one, e.g. temurin-25-jdk or openjdk-25-jdk" >&2
    return 1
}
