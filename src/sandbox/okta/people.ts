/** The demo org's people by first name: one list of ids for the grants, requests and campaigns built over them. */
export const PRIYA = "00ub0oNGTSWTBKOLGLNR";
export const DANA = "00ufxqCAJWWGELFTYCCC";
export const MARCUS = "00uJ5w00Amlse2pHcQbs";
export const OLIVIA = "00u2f0uF3apeq2oJBzIX";
export const ELENA = "00utT5MP8WA9iZFIIMYk";
export const TOM = "00uhwqa5V4tkgWirMdlD";
export const KENJI = "00u8mKT9e85wl1DrxMwA";
export const AISHA = "00u4OF7SuBwtWqVxAzKi";
export const DIEGO = "00u2cEvMLRaxLopsKClQ";
export const HANNAH = "00uYBScPIRSmSaaudyuo";
export const SAMUEL = "00uZ2iuxU9Yk38Uxqyuk";
export const GRACE = "00uHwCHSBn6G1ldstZ2x";
