# Sourced by ./jtap and ./test: sets JTAP_JAVA_HOME to a JDK >= 25 or fails with advice.
# Bash builtins only on the common path: the launcher runs this before every jtap.

# True when DIR holds a JDK (java and javac) of version 25 or newer.
jtap_is_jdk25() {
    local dir=$1 line major
    [ -n "$dir" ] && [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || return 1
    if [ -r "$dir/release" ]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
                [ "${BASH_REMATCH[1]}" -ge 25 ]
                return
            fi
        done < "$dir/release"
        return 1
    fi
    major=$("$dir/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
    [ -n "$major" ] && [ "$major" -ge 25 ]
}

jtap_find_jdk() {
    local candidate on_path=""
    if jtap_is_jdk25 "${JAVA_HOME:-}"; then
        JTAP_JAVA_HOME=$JAVA_HOME
        return 0
    fi
    if on_path=$(command -v java 2>/dev/null) && on_path=$(readlink -f "$on_path"); then
        on_path=${on_path%/bin/java}
    fi
    for candidate in "$on_path" /usr/lib/jvm/*; do
        if jtap_is_jdk25 "$candidate"; then
            JTAP_JAVA_HOME=$candidate
            return 0
        fi
    done
    echo "jtap: no JDK 25 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm): install one, e.g. temurin-25-jdk or openjdk-25-jdk" >&2
    return 1
}
