/** `state.param` of "Meine Termine"; none: booking. */
export const MINE = "mine";
