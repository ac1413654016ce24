// A fragment that stands alone: it is the whole translation unit.
// @fragment
