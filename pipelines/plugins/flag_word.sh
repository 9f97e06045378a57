#!/bin/sh
# An outside plugin in shell (step: exec): flags every record whose text contains a word given
# as the first argument (default 待核实) with a warning. No JSON library needed: the record id is
# taken from the line with sed. Protocol: docs/EXEC-PLUGINS.md.
word="${1:-待核实}"
while IFS= read -r line; do
  case "$line" in
    *'"type":"flush"'*) echo '{"type":"flushed"}' ;;
    *'"type":"end"'*) echo '{"type":"done"}'; exit 0 ;;
    *'"type":"record"'*)
      case "$line" in
        *"$word"*)
          id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
          printf '{"type":"issue","id":%s,"code":"flagged-word","severity":"warning","message":"记录中有「%s」，请核实"}\n' "$id" "$word" ;;
      esac ;;
  esac
done
