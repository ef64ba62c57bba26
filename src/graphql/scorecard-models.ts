/** What the scorecard resolvers hand on: an element's coverage with the document it belongs to (for `missing`). */
import type { QualityElementScore } from '../scorecards/sbom-quality.js';

export interface QualityElementCoverageModel extends QualityElementScore {
  sbomId: number;
}

import type { ScoredPart, ScorePartName } from '../scorecards/score-method.js';
import type { ScoreEvidence, VendorScorecard } from '../scorecards/vendor-scorecard.js';

export interface ScorePartModel extends ScoredPart {
  evidence: ScoreEvidence;
}

export interface RankedScorecardModel {
  rank: number;
  scorecard: VendorScorecard;
}

export interface VendorScorecardRankingModel {
  total: number;
  by: ScorePartName | null;
  scorecards: RankedScorecardModel[];
}
