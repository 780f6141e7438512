//! Helpers shared by the integration tests.

use hf_fidelity::TeamModel;
use hf_fidelity::assessment::{Assessment, Assessor, AssessorKind, Project, Response};
use std::collections::BTreeMap;

/// A self-assessment of project `p` dated 2026-01-01 with these answers.
pub fn assessment(model: TeamModel, responses: BTreeMap<String, Response>) -> Assessment {
    Assessment {
        format: "hf-fidelity/assessment/v1".into(),
        project: Project { id: "p".into(), name: "P".into(), location: None, region: None },
        rubric: None,
        team_model: model,
        date: "2026-01-01".parse().unwrap(),
        period: None,
        assessor: Assessor { kind: AssessorKind::SelfAssessment, name: None },
        rating: None,
        reconciles: Vec::new(),
        expected_outcome: None,
        comment: None,
        target_public: None,
        responses,
        outcomes: BTreeMap::new(),
    }
}
