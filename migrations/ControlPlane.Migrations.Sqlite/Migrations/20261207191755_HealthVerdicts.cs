using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPlane.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HealthVerdicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DriftPersistence",
                table: "EnrollmentMonitoring",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AddColumn<string>(
                name: "AlertedVerdict",
                table: "EnrollmentHealth",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Verdict",
                table: "EnrollmentHealth",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VerdictAt",
                table: "EnrollmentHealth",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerdictEvidence",
                table: "EnrollmentHealth",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VerdictReason",
                table: "EnrollmentHealth",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VerdictSince",
                table: "EnrollmentHealth",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "AdjustedPValue",
                table: "DriftFeatureResults",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PsiHigh",
                table: "DriftFeatureResults",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PsiLow",
                table: "DriftFeatureResults",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Rule",
                table: "DriftFeatureResults",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_EnrollmentHealth_Verdict",
                table: "EnrollmentHealth",
                column: "Verdict");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EnrollmentHealth_Verdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "DriftPersistence",
                table: "EnrollmentMonitoring");

            migrationBuilder.DropColumn(
                name: "AlertedVerdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "Verdict",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictAt",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictEvidence",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictReason",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "VerdictSince",
                table: "EnrollmentHealth");

            migrationBuilder.DropColumn(
                name: "AdjustedPValue",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "PsiHigh",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "PsiLow",
                table: "DriftFeatureResults");

            migrationBuilder.DropColumn(
                name: "Rule",
                table: "DriftFeatureResults");
        }
    }
}
