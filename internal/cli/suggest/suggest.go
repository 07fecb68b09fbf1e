// Package suggest finds the likely intended word for a typo, for "did you
// mean …?" hints.
package suggest

import "strings"

// Closest returns the candidate nearest to word by edit distance (with
// transpositions), or "" when none is close enough to be a plausible typo:
// at most 2 edits, and fewer than a third of the word's length plus one.
// An exact match returns "" too: there is nothing to suggest.
func Closest(word string, candidates []string) string {
	word = strings.ToLower(strings.TrimSpace(word))
	limit := min(2, len(word)/3+1)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == word {
			return ""
		}
		if d := Distance(word, lc); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b: the
// number of insertions, deletions, substitutions and swaps of neighbouring
// characters that turn one into the other.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	rows := make([][]int, len(ra)+1)
	for i := range rows {
		rows[i] = make([]int, len(rb)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(ra)][len(rb)]
}
